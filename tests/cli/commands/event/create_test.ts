import assert from "node:assert/strict";
import * as create from "../../../../src/cli/commands/event/create.ts";
import { InvalidInputError } from "../../../../src/domain/errors.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";
import { event } from "../../../support/records.ts";

const FLAGS = [
  "--contract",
  "7",
  "--name",
  "Gala",
  "--client-contact",
  "Kate",
  "--start-date",
  "2027-06-04 18:00",
  "--end-date",
  "2027-06-05T01:00:00+02:00",
  "--location",
  "Paris",
  "--attendees",
  "75",
];

Deno.test("event create: local dates become instants in the zone of TZ; numbers are read", async () => {
  const crm = fakeCrm({ createEvent: () => Promise.resolve(event()) });
  await create.run(await parseArgs(create, FLAGS), testDeps(crm, { timeZone: "Europe/Paris" }));
  assert.deepEqual(crm.calls[0].args, [{
    contract_id: 7,
    name: "Gala",
    client_contact: "Kate",
    start_date: "2027-06-04T16:00:00.000Z",
    end_date: "2027-06-04T23:00:00.000Z",
    location: "Paris",
    attendees: 75,
  }]);
});

Deno.test("event create: a bad date or number names the flag typed", async () => {
  const swap = (flag: string, value: string) => FLAGS.map((v, i) => (FLAGS[i - 1] === flag ? value : v));
  await assert.rejects(
    async () => create.run(await parseArgs(create, swap("--start-date", "2027-02-30 10:00")), testDeps(fakeCrm({}))),
    (e) =>
      e instanceof InvalidInputError && e.message === "--start-date: 2027-02-30 is not a valid date" &&
      e.field === "start_date",
  );
  await assert.rejects(
    () => parseArgs(create, swap("--attendees", "-5")),
    /^InvalidInputError: --attendees: must be a whole number, 0 or more$/,
  );
  await assert.rejects(
    () => parseArgs(create, ["--contract-id", "x"]),
    /^InvalidInputError: --contract-id: must be a positive whole number/,
  );
});

Deno.test("event create: off a terminal every missing flag is named at once", async () => {
  await assert.rejects(
    async () => create.run(await parseArgs(create, ["--contract", "7", "--notes", "x"]), testDeps(fakeCrm({}))),
    /^InvalidInputError: missing required options: --name, --client-contact, --start-date, --end-date, --location, --attendees$/,
  );
});
