/**
 * The permission matrix of PRODUCT.md §2 for clients, contracts and events:
 * every role × every action × a record of their own / of someone else, on
 * both backends. An allowed action exits 0 and changes the database as asked;
 * a refused one exits 4 (`permission_denied`) and changes nothing at all.
 *
 * "Own" from each role's point of view: SALES owns the clients of `crew.sales`
 * (and their contracts and events), SUPPORT owns the events assigned to
 * `crew.support`. The "other" records belong to `crew.sales2` / `crew.support2`.
 * MANAGEMENT owns nothing and may do everything, so it is tried on both.
 * @module
 */
import assert from "node:assert/strict";
import type { Database, Row } from "../../src/db/database.ts";
import { type Backend, backendTest } from "../support/backends.ts";
import type { CliResult } from "../support/cli.ts";
import { type Crew, ok, type Person, setupCrew } from "../support/fixtures.ts";

type Role = Person["role"];
const ROLES: readonly Role[] = ["MANAGEMENT", "SALES", "SUPPORT"];

/** The `error.code` in the JSON error for each non-zero exit code. */
const ERROR_CODES: Record<number, string> = {
  2: "invalid_input",
  4: "permission_denied",
  5: "not_found",
  6: "conflict",
};

/** Expected exit code for each role on [a record of their own, someone else's]. */
type Expected = Record<Role, readonly [own: number, other: number]>;

/** A world of fixtures for one test: the crew, a direct connection, fresh records on demand. */
interface World {
  b: Backend;
  db: Database;
  crew: Crew;
  /** The person who plays `role` in the matrix. */
  actor(role: Role): Person;
  /** A new client of `crew.sales` (own) or `crew.sales2` (other). */
  client(own: boolean): Promise<number>;
  /** A new contract (total 1000, due 400) of a new own/other client. */
  contract(own: boolean, options?: { signed?: boolean }): Promise<number>;
  /** A new event of a new own/other signed contract, supported by `crew.support` (own) / `crew.support2` (other). */
  event(own: boolean, options?: { support?: Person | null }): Promise<number>;
  /** One row as stored, or undefined. */
  row(table: "clients" | "contracts" | "events", id: number): Promise<Row | undefined>;
  /**
   * Runs `args --json` as `who` and asserts the exit code. Unless it is 0, also
   * asserts the JSON error code, an empty stdout, and that nothing changed in
   * the database (users, clients, contracts, events, audit trail).
   */
  attempt(who: Person, args: string[], expected: number, label: string): Promise<CliResult>;
}

/** The crew and records made by the manager through the services (`fixtures.ts`). */
async function world(b: Backend): Promise<World> {
  const crew = await setupCrew(b);
  const { build } = crew;
  const db = build.db;
  let n = 0;
  const actors: Record<Role, Person> = { MANAGEMENT: crew.manager, SALES: crew.sales, SUPPORT: crew.support };

  const everything = async () => {
    const state: Record<string, Row[]> = {};
    for (const table of ["users", "clients", "contracts", "events", "audit_log"]) {
      state[table] = await db.query(`SELECT * FROM ${table} ORDER BY id`);
    }
    return state;
  };

  const w: World = {
    b,
    db,
    crew,
    actor: (role) => actors[role],
    async client(own) {
      return (await build.client(own ? crew.sales : crew.sales2)).id;
    },
    async contract(own, { signed = false } = {}) {
      const client = { id: await w.client(own) };
      return (await build.contract(client, { total_amount: "1000", amount_due: "400", signed })).id;
    },
    async event(own, { support } = {}) {
      const contract = { id: await w.contract(own, { signed: true }) };
      const supporter = support === undefined ? (own ? crew.support : crew.support2) : support;
      const event = await build.event(contract, {
        name: `Gala ${++n}`,
        client_contact: "Kate Organizer",
        start_date: "2030-06-01T18:00:00Z",
        end_date: "2030-06-02T02:00:00Z",
        location: "Grand Hall, Paris",
        attendees: 80,
        support: supporter ?? undefined,
      });
      return event.id;
    },
    row: (table, id) => db.one(`SELECT * FROM ${table} WHERE id = $1`, [id]),
    async attempt(who, args, expected, label) {
      const before = expected === 0 ? undefined : await everything();
      const result = await who.cli([...args, "--json"]);
      assert.equal(
        result.code,
        expected,
        `${label}: exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
      );
      if (expected !== 0) {
        assert.equal(JSON.parse(result.stderr.trim()).error.code, ERROR_CODES[expected], `${label}: ${result.stderr}`);
        assert.equal(result.stdout, "", `${label}: nothing on stdout`);
        assert.deepEqual(await everything(), before, `${label}: a refused command changes nothing`);
      }
      return result;
    },
  };
  return w;
}

/** One guarded action of the matrix. */
interface Action {
  expected: Expected;
  /** What "own" is about: the record's client (its sales contact) or the event (its support contact). */
  owned: "client" | "event";
  /** A fresh target for one attempt (so that attempts never interfere). */
  target(w: World, own: boolean): Promise<number>;
  args(id: number, w: World, own: boolean): string[];
  /** What an allowed attempt must have done (`out` is its JSON output). */
  effect(w: World, id: number, out: Record<string, unknown>, own: boolean): Promise<void>;
}

/** The name of one cell of the matrix: `SALES × contract.update (other's client) → 4`. */
function cellName(role: Role, action: string, own: boolean, owned: string, expected: number): string {
  return `${role} × ${action} (${own ? "own" : "other's"} ${owned}) → ${expected}`;
}

/**
 * Tries every action as every role on an own and another's record, one step
 * per cell so that a failure names it.
 */
async function runMatrix(w: World, t: Deno.TestContext, actions: Record<string, Action>): Promise<void> {
  for (const [name, action] of Object.entries(actions)) {
    for (const role of ROLES) {
      for (const own of [true, false]) {
        const expected = action.expected[role][own ? 0 : 1];
        const label = cellName(role, name, own, action.owned, expected);
        await t.step(label, async () => {
          const id = await action.target(w, own);
          const result = await w.attempt(w.actor(role), action.args(id, w, own), expected, label);
          if (expected === 0) await action.effect(w, id, result.json(), own);
        });
      }
    }
  }
}

/** Every role can list and show every record of `entity` (exit 0), whoever owns it; a step per role × read. */
async function everyoneReads(
  w: World,
  t: Deno.TestContext,
  entity: "client" | "contract" | "event",
  ids: number[],
): Promise<void> {
  const table = `${entity}s`;
  const all = (await w.db.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`)).map((r) => Number(r.id));
  for (const role of ROLES) {
    const who = w.actor(role);
    await t.step(`${role} × ${entity} list → 0`, async () => {
      const listed = await ok<{ id: number }[]>(who.cli([entity, "list", "--json"]));
      assert.deepEqual(listed.map((r) => r.id), all, `${role} ${entity} list shows every ${entity}`);
    });
    for (const id of ids) {
      await t.step(`${role} × ${entity} show ${id} → 0`, async () => {
        const shown = await ok<{ id: number }>(who.cli([entity, "show", String(id), "--json"]));
        assert.equal(shown.id, id, `${role} ${entity} show ${id}`);
      });
    }
  }
}

const SALES_OWN_ONLY: Expected = { MANAGEMENT: [0, 0], SALES: [0, 4], SUPPORT: [4, 4] };
const MANAGEMENT_ONLY: Expected = { MANAGEMENT: [0, 0], SALES: [4, 4], SUPPORT: [4, 4] };
const SUPPORT_OWN_ONLY: Expected = { MANAGEMENT: [0, 0], SALES: [4, 4], SUPPORT: [0, 4] };

const ownerOf = (w: World, own: boolean) => (own ? w.crew.sales : w.crew.sales2).id;

// ---------------------------------------------------------------- clients

const CLIENT_ACTIONS: Record<string, Action> = {
  "client.update": {
    expected: SALES_OWN_ONLY,
    owned: "client",
    target: (w, own) => w.client(own),
    args: (id) => ["client", "update", String(id), "--company-name", "Renamed Ltd"],
    async effect(w, id, out, own) {
      const row = await w.row("clients", id);
      assert.equal(row?.company_name, "Renamed Ltd");
      assert.equal(Number(row?.sales_contact_id), ownerOf(w, own), "an update keeps the sales contact");
      assert.equal(out.company_name, "Renamed Ltd");
    },
  },
  "client.reassign": {
    // Only MANAGEMENT changes a client's sales contact, even SALES on their own client.
    expected: MANAGEMENT_ONLY,
    owned: "client",
    target: (w, own) => w.client(own),
    args: (id, w, own) => [
      "client",
      "update",
      String(id),
      "--phone",
      "+1 555 0100",
      "--sales-contact-id",
      String(own ? w.crew.sales2.id : w.crew.sales.id),
    ],
    async effect(w, id, _out, own) {
      const row = await w.row("clients", id);
      assert.equal(Number(row?.sales_contact_id), ownerOf(w, !own));
      assert.equal(row?.phone, "+1 555 0100");
    },
  },
  "client.delete": {
    expected: MANAGEMENT_ONLY,
    owned: "client",
    target: (w, own) => w.client(own),
    args: (id) => ["client", "delete", String(id), "--yes"],
    async effect(w, id) {
      assert.equal(await w.row("clients", id), undefined);
    },
  },
};

/** `sam (SALES)`: who a person is, in a step name. */
function named(p: Person): string {
  return `${p.email.split("@")[0]} (${p.role})`;
}

backendTest("clients: every role × create / update / reassign / delete × own / not own; reads open", async (b, t) => {
  const w = await world(b);
  const { manager, sales, sales2, support, support2 } = w.crew;
  await runMatrix(w, t, CLIENT_ACTIONS);

  // create: SALES gets the client even without --sales-contact-id and cannot give it to another;
  // MANAGEMENT must name a SALES user; SUPPORT never creates.
  let n = 0;
  const createCases: [who: Person, contact: Person | undefined, expected: number, owner?: Person][] = [
    [sales, undefined, 0, sales],
    [sales, sales, 0, sales],
    [sales, sales2, 4],
    [sales2, undefined, 0, sales2],
    [support, undefined, 4],
    [support, sales, 4],
    [manager, sales2, 0, sales2],
    [manager, support, 2],
    [manager, support2, 2],
    [manager, manager, 2],
    [manager, undefined, 2],
  ];
  for (const [who, contact, expected, owner] of createCases) {
    const flags = contact ? ["--sales-contact-id", String(contact.id)] : [];
    const label = `${named(who)} × client.create ${
      contact ? `--sales-contact-id ${named(contact)}` : "(no contact)"
    } → ${expected}`;
    await t.step(label, async () => {
      const email = `new${++n}@corp.test`;
      const result = await w.attempt(
        who,
        [
          "client",
          "create",
          "--full-name",
          "Kevin Casey",
          "--email",
          email,
          "--phone",
          "+678 123 456 78",
          "--company-name",
          "Cool Startup LLC",
          ...flags,
        ],
        expected,
        label,
      );
      const row = await w.db.one<{ id: number; sales_contact_id: number }>(
        "SELECT id, sales_contact_id FROM clients WHERE email = $1",
        [email],
      );
      if (expected === 0) {
        assert.equal(Number(row?.sales_contact_id), owner!.id, `${label}: assigned to ${owner!.email}`);
        assert.equal(result.json<{ sales_contact_id: number }>().sales_contact_id, owner!.id);
      } else {
        assert.equal(row, undefined, label);
        if (expected === 2) {
          assert.equal(JSON.parse(result.stderr).error.field, "sales_contact_id", label);
          assert.match(result.stderr, /sales.contact/, label);
        }
      }
    });
  }

  // MANAGEMENT reassigns only to a SALES user.
  const client = await w.client(true);
  await w.attempt(
    manager,
    ["client", "update", String(client), "--sales-contact-id", String(support.id)],
    2,
    "reassign to SUPPORT",
  );
  await w.attempt(
    manager,
    ["client", "update", String(client), "--sales-contact-id", String(manager.id)],
    2,
    "reassign to MANAGEMENT",
  );
  // Deleting needs --yes off a terminal, even for MANAGEMENT.
  await w.attempt(manager, ["client", "delete", String(client)], 2, "client delete without --yes");
  // Missing targets are "not found" for whoever may act.
  await w.attempt(manager, ["client", "update", "99999", "--phone", "+1 555 0199"], 5, "update of a missing client");

  await everyoneReads(w, t, "client", [await w.client(true), await w.client(false)]);
});

// ---------------------------------------------------------------- contracts

const CONTRACT_ACTIONS: Record<string, Action> = {
  "contract.create": {
    expected: SALES_OWN_ONLY,
    owned: "client",
    target: (w, own) => w.client(own),
    args: (clientId) => ["contract", "create", "--client", String(clientId), "--total", "1500.50"],
    async effect(w, clientId, out, own) {
      const rows = await w.db.query<Row>("SELECT * FROM contracts WHERE client_id = $1", [clientId]);
      assert.equal(rows.length, 1);
      assert.equal(Number(rows[0].sales_contact_id), ownerOf(w, own), "the client's sales contact");
      assert.equal(Number(rows[0].total_amount_cents), 150050);
      assert.equal(Number(rows[0].amount_due_cents), 150050, "amount due defaults to the total");
      assert.equal(out.total_amount, "1500.50");
      assert.equal(out.signed_status, false);
    },
  },
  "contract.update --total --due": {
    expected: SALES_OWN_ONLY,
    owned: "client",
    target: (w, own) => w.contract(own),
    args: (id) => ["contract", "update", String(id), "--total", "2000", "--due", "250.5"],
    async effect(w, id, out) {
      const row = await w.row("contracts", id);
      assert.equal(Number(row?.total_amount_cents), 200000);
      assert.equal(Number(row?.amount_due_cents), 25050);
      assert.equal(out.amount_due, "250.50");
    },
  },
  "contract.update --signed-status": {
    expected: SALES_OWN_ONLY,
    owned: "client",
    target: (w, own) => w.contract(own),
    args: (id) => ["contract", "update", String(id), "--signed-status", "true"],
    async effect(w, id) {
      assert.ok([true, 1].includes((await w.row("contracts", id))?.signed_status as boolean | number));
    },
  },
  "contract.sign": {
    expected: SALES_OWN_ONLY,
    owned: "client",
    target: (w, own) => w.contract(own),
    args: (id) => ["contract", "sign", String(id)],
    async effect(w, id, out) {
      assert.ok([true, 1].includes((await w.row("contracts", id))?.signed_status as boolean | number));
      assert.equal(out.signed_status, true);
    },
  },
  "contract.delete": {
    expected: MANAGEMENT_ONLY,
    owned: "client",
    target: (w, own) => w.contract(own),
    args: (id) => ["contract", "delete", String(id), "--yes"],
    async effect(w, id) {
      assert.equal(await w.row("contracts", id), undefined);
    },
  },
};

backendTest("contracts: every role × create / update / sign / delete × own / not own; reads open", async (b, t) => {
  const w = await world(b);
  const { manager, sales } = w.crew;
  await runMatrix(w, t, CONTRACT_ACTIONS);

  // Signing a signed contract is still only for its owner or MANAGEMENT.
  const signed = await w.contract(false, { signed: true });
  await w.attempt(sales, ["contract", "sign", String(signed)], 4, "SALES signs another's signed contract");
  await w.attempt(manager, ["contract", "delete", String(signed)], 2, "contract delete without --yes");
  // A contract for a missing client is "not found" for MANAGEMENT.
  await w.attempt(manager, ["contract", "create", "--client", "99999", "--total", "10"], 5, "contract for no client");

  await everyoneReads(w, t, "contract", [await w.contract(true), await w.contract(false, { signed: true })]);
});

// ---------------------------------------------------------------- events

const EVENT_FIELDS = [
  "--name",
  "Summer Party",
  "--client-contact",
  "Kate Organizer",
  "--start-date",
  "2030-07-01T18:00:00Z",
  "--end-date",
  "2030-07-01T23:30:00Z",
  "--location",
  "Rooftop, Lyon",
  "--attendees",
  "150",
];

const supportOf = (w: World, own: boolean) => (own ? w.crew.support : w.crew.support2).id;

const EVENT_ACTIONS: Record<string, Action> = {
  "event.create": {
    expected: SALES_OWN_ONLY,
    owned: "client",
    target: (w, own) => w.contract(own, { signed: true }),
    args: (contractId) => ["event", "create", "--contract", String(contractId), ...EVENT_FIELDS],
    async effect(w, contractId, out) {
      const rows = await w.db.query<Row>("SELECT * FROM events WHERE contract_id = $1", [contractId]);
      assert.equal(rows.length, 1);
      const contract = await w.row("contracts", contractId);
      assert.equal(Number(rows[0].client_id), Number(contract?.client_id), "the event's client is the contract's");
      assert.equal(rows[0].support_contact_id, null);
      assert.equal(out.name, "Summer Party");
    },
  },
  "event.assign": {
    expected: MANAGEMENT_ONLY,
    owned: "event",
    target: (w, own) => w.event(own),
    // Swap the support contact: own (support) → support2, other (support2) → support.
    args: (id, w, own) => ["event", "assign", String(id), "--support", String(supportOf(w, !own))],
    async effect(w, id, out, own) {
      assert.equal(Number((await w.row("events", id))?.support_contact_id), supportOf(w, !own));
      assert.equal(out.support_contact_id, supportOf(w, !own));
    },
  },
  "event.update": {
    expected: SUPPORT_OWN_ONLY,
    owned: "event",
    target: (w, own) => w.event(own),
    args: (
      id,
    ) => ["event", "update", String(id), "--location", "Hall B, Nantes", "--attendees", "120", "--notes", "VIP"],
    async effect(w, id, _out, own) {
      const row = await w.row("events", id);
      assert.equal(row?.location, "Hall B, Nantes");
      assert.equal(Number(row?.attendees), 120);
      assert.equal(row?.notes, "VIP");
      assert.equal(Number(row?.support_contact_id), supportOf(w, own), "an update keeps the support contact");
    },
  },
  "event.delete": {
    expected: MANAGEMENT_ONLY,
    owned: "event",
    target: (w, own) => w.event(own),
    args: (id) => ["event", "delete", String(id), "--yes"],
    async effect(w, id) {
      assert.equal(await w.row("events", id), undefined);
    },
  },
};

backendTest("events: every role × create / assign / update / delete × own / not own; reads open", async (b, t) => {
  const w = await world(b);
  const { manager, sales, sales2, support } = w.crew;
  await runMatrix(w, t, EVENT_ACTIONS);

  const create = (contractId: number, extra: string[] = []) => [
    "event",
    "create",
    "--contract",
    String(contractId),
    ...EVENT_FIELDS,
    ...extra,
  ];
  // Only a signed contract can have events (conflict); ownership is refused first.
  const unsignedOwn = await w.contract(true);
  const unsignedOther = await w.contract(false);
  await w.attempt(manager, create(unsignedOwn), 6, "MANAGEMENT event on an unsigned contract");
  await w.attempt(sales, create(unsignedOwn), 6, "SALES event on their own unsigned contract");
  await w.attempt(sales, create(unsignedOther), 4, "SALES event on another's unsigned contract");
  await w.attempt(support, create(unsignedOwn), 4, "SUPPORT event on an unsigned contract");

  // Only MANAGEMENT names a support contact, and it must be a SUPPORT user.
  const signedOwn = await w.contract(true, { signed: true });
  await w.attempt(sales, create(signedOwn, ["--support-contact-id", String(support.id)]), 4, "SALES names support");
  await w.attempt(manager, create(signedOwn, ["--support-contact-id", String(sales.id)]), 2, "support is SALES");
  const made = await w.attempt(manager, create(signedOwn, ["--support-contact-id", String(support.id)]), 0, "named");
  assert.equal(made.json<{ support_contact_id: number }>().support_contact_id, support.id);

  // `event assign --support` must name a SUPPORT user.
  const event = await w.event(true);
  for (const notSupport of [sales, sales2, manager]) {
    const result = await w.attempt(
      manager,
      ["event", "assign", String(event), "--support", String(notSupport.id)],
      2,
      `assign to ${notSupport.role}`,
    );
    assert.equal(JSON.parse(result.stderr).error.field, "support_contact_id");
  }
  await w.attempt(manager, ["event", "assign", String(event)], 2, "assign without --support off a terminal");

  // An unassigned event belongs to no SUPPORT user.
  const unassigned = await w.event(true, { support: null });
  await w.attempt(support, ["event", "update", String(unassigned), "--notes", "mine?"], 4, "SUPPORT on unassigned");
  await w.attempt(manager, ["event", "delete", String(event)], 2, "event delete without --yes");

  await everyoneReads(w, t, "event", [event, unassigned, await w.event(false)]);
});

// ---------------------------------------------------------------- ownership at the time of the action

backendTest('"own" is read from the database on every command: reassignment takes effect at once', async (b) => {
  const w = await world(b);
  const { manager, sales, sales2, support, support2 } = w.crew;

  // A client of `sales` with an unsigned contract, reassigned by MANAGEMENT to `sales2`.
  const clientId = await w.client(true);
  const contract = await w.crew.build.contract({ id: clientId }, { total_amount: "900" });
  await w.attempt(sales, ["client", "update", String(clientId), "--phone", "+1 555 0101"], 0, "before: sales updates");
  await w.attempt(sales2, ["client", "update", String(clientId), "--phone", "+1 555 0102"], 4, "before: sales2 not");
  await w.attempt(
    manager,
    ["client", "update", String(clientId), "--sales-contact-id", String(sales2.id)],
    0,
    "reassign",
  );

  const clientActions: [string, string[]][] = [
    ["client update", ["client", "update", String(clientId), "--phone", "+1 555 0103"]],
    ["contract create", ["contract", "create", "--client", String(clientId), "--total", "10"]],
    ["contract update", ["contract", "update", String(contract.id), "--due", "100"]],
    ["contract sign", ["contract", "sign", String(contract.id)]],
  ];
  for (const [name, args] of clientActions) {
    await w.attempt(sales, args, 4, `after reassignment: former owner ${name}`);
    await w.attempt(sales2, args, 0, `after reassignment: new owner ${name}`);
  }
  const row = await w.row("clients", clientId);
  assert.equal(Number(row?.sales_contact_id), sales2.id);
  assert.equal(row?.phone, "+1 555 0103");

  // The signed contract now belongs to sales2's client: only sales2 may add an event to it.
  await w.attempt(
    sales,
    ["event", "create", "--contract", String(contract.id), ...EVENT_FIELDS],
    4,
    "former owner event",
  );
  const event = await w.attempt(
    sales2,
    ["event", "create", "--contract", String(contract.id), ...EVENT_FIELDS],
    0,
    "new owner event",
  );
  const eventId = event.json<{ id: number }>().id;

  // An event moved from support to support2 by MANAGEMENT.
  await w.attempt(manager, ["event", "assign", String(eventId), "--support", String(support.id)], 0, "assign support");
  await w.attempt(support, ["event", "update", String(eventId), "--attendees", "10"], 0, "support updates theirs");
  await w.attempt(support2, ["event", "update", String(eventId), "--attendees", "11"], 4, "support2 not yet");
  await w.attempt(
    manager,
    ["event", "assign", String(eventId), "--support", String(support2.id)],
    0,
    "reassign support",
  );
  await w.attempt(support, ["event", "update", String(eventId), "--attendees", "12"], 4, "former support");
  await w.attempt(support2, ["event", "update", String(eventId), "--attendees", "13"], 0, "new support");
  assert.equal(Number((await w.row("events", eventId))?.attendees), 13);
});
