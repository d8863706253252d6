import assert from "node:assert/strict";
import * as create from "../../../../src/cli/commands/client/create.ts";
import { InvalidInputError } from "../../../../src/domain/errors.ts";
import { fakeCrm, parseArgs, rows, testDeps } from "../../../support/commands.ts";
import { client, me, user } from "../../../support/records.ts";

const FLAGS = ["--full-name", "Kate", "--email", "k@x.io", "--phone", "0102030405", "--company-name", "Acme"];

Deno.test("client create: flags become the port's input; ids are read as numbers", async () => {
  const options = await parseArgs(create, [...FLAGS, "--sales-contact-id", "2"]);
  assert.deepEqual(options.fields.values, {
    full_name: "Kate",
    email: "k@x.io",
    phone: "0102030405",
    company_name: "Acme",
    sales_contact_id: 2,
  });
  await assert.rejects(
    () => parseArgs(create, ["--sales-contact-id", "two"]),
    (e) =>
      e instanceof InvalidInputError && e.message.startsWith("--sales-contact-id: ") && e.field === "sales_contact_id",
  );
});

Deno.test("client create: off a terminal, every missing flag in one message (--sales-contact-id for MANAGEMENT)", async () => {
  const asManager = testDeps(fakeCrm({ whoami: () => Promise.resolve(me("MANAGEMENT")) }));
  await assert.rejects(
    async () => create.run(await parseArgs(create, []), asManager),
    (e) =>
      e instanceof InvalidInputError &&
      e.message === "missing required options: --full-name, --email, --phone, --company-name, --sales-contact-id",
  );
  const asSales = testDeps(fakeCrm({ whoami: () => Promise.resolve(me("SALES")) }));
  await assert.rejects(
    async () => create.run(await parseArgs(create, ["--full-name", "Kate"]), asSales),
    /missing required options: --email, --phone, --company-name$/,
  );
});

Deno.test("client create: on a terminal each missing field is asked, checked as typed, then created", async () => {
  const crm = fakeCrm({
    whoami: () => Promise.resolve(me("MANAGEMENT")),
    listUsers: () => rows(user()),
    createClient: () => Promise.resolve(client()),
  });
  const deps = testDeps(crm, {
    terminal: true,
    answers: ["", "Kate Hastroff", "kate-at-startup", "kate@startup.io", "123", "+33 6 12 34 56 78", "Cool", 2],
  });
  await create.run(await parseArgs(create, []), deps);
  assert.deepEqual(deps.prompter.asked, [
    "Full name",
    "Full name",
    "Email",
    "Email",
    "Phone",
    "Phone",
    "Company",
    "Sales contact",
  ]);
  assert.deepEqual(deps.prompter.refused.map((r) => [r.label, r.reason]), [
    ["Full name", "must not be empty"],
    ["Email", "must be a valid email address"],
    ["Phone", "must be 5 to 20 characters"],
  ]);
  assert.deepEqual(crm.calls.find((c) => c.method === "listUsers")?.args, [{ role: "SALES" }]);
  assert.deepEqual(crm.calls.at(-1), {
    method: "createClient",
    args: [{
      full_name: "Kate Hastroff",
      email: "kate@startup.io",
      phone: "+33 6 12 34 56 78",
      company_name: "Cool",
      sales_contact_id: 2,
    }],
  });
  assert.match(deps.io.stdout, /Kate Hastroff/);
});
