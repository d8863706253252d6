/**
 * What drawing a table costs: `user list` and `event list` pages of 100 rows
 * (a table's default page) and 1 000 rows, in English and French, fitted to
 * 80 columns, and as wide as their content (`--wide`) — the printer alone
 * (`printTable`: cells formatted, widths measured, rows shortened and drawn),
 * in-process, no database. Some names hold accents, ideographs and emoji, as
 * real data does, so that the slow path of width measurement is taken too.
 * Prints the median of 15 runs after 3 warm-ups, in milliseconds.
 *
 *     deno run -A bench/tables.ts
 * @module
 */
import { columns } from "../src/cli/entities/fields.ts";
import { EVENT } from "../src/cli/entities/event.ts";
import { USER } from "../src/cli/entities/user.ts";
import { printTable } from "../src/cli/output/print.ts";
import type { Io } from "../src/cli/app/io.ts";
import { useLanguage } from "../src/i18n/mod.ts";
import type { Lang } from "../src/domain/lang.ts";
import type { EventRecord, UserRecord } from "../src/port/crm.ts";

const NAMES = ["Kate", "Ōkubo", "山田", "Zoé 🎉", "Marc-Antoine", "Li"];

function users(n: number): UserRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    first_name: NAMES[i % NAMES.length],
    last_name: `Hastroff-Montgomery ${i}`,
    email: `collaborator.number.${i}@epic-events.example`,
    phone: "+33 6 12 34 56 78",
    role: (["MANAGEMENT", "SALES", "SUPPORT"] as const)[i % 3],
    created_at: "2027-06-04T16:00:00.000Z",
    updated_at: "2027-06-04T16:00:00.000Z",
  }));
}

function events(n: number): EventRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    contract_id: i + 1,
    client_id: 3,
    name: `Annual general assembly ${i}`,
    client_contact: "Kate, +33 6 00 00 00 00",
    start_date: "2027-06-04T16:00:00.000Z",
    end_date: "2027-06-05T02:00:00.000Z",
    support_contact_id: 4,
    location: "53 rue du Château, 75000 Paris",
    attendees: 75,
    notes: null,
    display: { client_name: `${NAMES[i % NAMES.length]} Hastroff`, support_contact_name: "Tom Helper" },
  }));
}

/** An {@link Io} that keeps nothing: the cost measured is the table's, not the terminal's. */
function sink(env: Record<string, string>): Io {
  return {
    writeOut: () => {},
    writeErr: () => {},
    readStdin: () => Promise.resolve(""),
    stdinIsTerminal: false,
    stdoutIsTerminal: true,
    env: { NO_COLOR: "1", ...env },
    cwd: "/",
  };
}

async function median(run: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[7];
}

const USER_COLUMNS = columns(USER, "list");
const EVENT_COLUMNS = columns(EVENT, "list");
console.log("| list | rows | language | width | median ms |");
console.log("| ---- | ---: | -------- | ----- | --------: |");
for (const lang of ["en", "fr"] as Lang[]) {
  await useLanguage(lang);
  for (const n of [100, 1000]) {
    for (const [label, wide] of [["80 columns", false], ["--wide", true]] as const) {
      const deps = { io: sink({ COLUMNS: "80" }), clock: { timeZone: "Europe/Paris" }, wide };
      const userRows = users(n);
      const eventRows = events(n);
      const u = await median(() => printTable(deps, USER_COLUMNS, userRows));
      const e = await median(() => printTable(deps, EVENT_COLUMNS, eventRows));
      console.log(`| user list | ${n} | ${lang} | ${label} | ${u.toFixed(2)} |`);
      console.log(`| event list | ${n} | ${lang} | ${label} | ${e.toFixed(2)} |`);
    }
  }
}
