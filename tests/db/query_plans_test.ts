/**
 * The plans of the lists' first pages (issue 10): each is built by the same
 * repository function the program runs, and must read its index in id order
 * — no sort of every matching row (`USE TEMP B-TREE FOR ORDER BY` on SQLite,
 * a `Sort` of more than a page of rows on PostgreSQL) and no scan of a whole
 * table. A plan that sorts costs the table, not the page.
 * @module
 */
import assert from "node:assert/strict";
import type { Database, Queryable, SqlValue } from "../../src/db/database.ts";
import { inlineParams } from "../../src/db/postgres.ts";
import {
  type AuditFilter,
  auditListQuery,
  insertAuditEntries,
  listAuditEntries,
} from "../../src/repositories/audit.ts";
import { type ClientFilter, clientListQuery, listClients } from "../../src/repositories/clients.ts";
import { type ContractFilter, contractListQuery, listContracts } from "../../src/repositories/contracts.ts";
import { type EventFilter, eventListQuery, listEvents } from "../../src/repositories/events.ts";
import type { ListQuery } from "../../src/repositories/sql.ts";
import { insertUser, userListQuery } from "../../src/repositories/users.ts";
import { seed } from "../../tools/seed.ts";
import { createBackend, postgresTest } from "../support/backends.ts";

/** The first page as the CLI asks for it: 100 rows and one more. */
const PAGE = { limit: 101 };
const NOW = new Date().toISOString();

/** One list query and the index its plan must read (a pattern of the plan text). */
interface Case {
  name: string;
  query: (db: Database) => ListQuery;
  /** SQLite: a pattern the plan must match (its driving index). */
  sqlite: RegExp;
  /** PostgreSQL: the table whose index the plan must read (the planner picks which, from statistics). */
  postgres?: string;
}

const CASES: Case[] = [
  { name: "client list", query: (db) => clientListQuery(db, PAGE), sqlite: /^SCAN c\b/, postgres: "clients" },
  {
    name: "client list --mine",
    query: (db) => clientListQuery(db, { salesContactId: 4, ...PAGE }),
    sqlite: /SEARCH c USING INDEX clients_sales_contact_idx \(sales_contact_id=\?\)/,
    postgres: "clients",
  },
  {
    name: "client list --search",
    query: (db) => clientListQuery(db, { search: "müller", ...PAGE }),
    sqlite: /SEARCH c USING INTEGER PRIMARY KEY.*SCAN clients_search VIRTUAL TABLE/,
  },
  {
    name: "client list --mine --search",
    query: (db) => clientListQuery(db, { salesContactId: 4, search: "müller", ...PAGE }),
    sqlite: /SEARCH c USING INDEX clients_sales_contact_idx.*SCAN clients_search VIRTUAL TABLE/,
  },
  { name: "contract list", query: () => contractListQuery(PAGE), sqlite: /^SCAN k\b/, postgres: "contracts" },
  {
    name: "contract list --mine",
    query: () => contractListQuery({ clientSalesContactId: 4, ...PAGE }),
    sqlite: /SEARCH k USING INDEX contracts_client_sales_contact_idx \(client_sales_contact_id=\?\)/,
    postgres: "contracts",
  },
  {
    name: "contract list --unsigned",
    query: () => contractListQuery({ unsigned: true, ...PAGE }),
    sqlite: /SCAN k USING INDEX contracts_unsigned_idx/,
    postgres: "contracts",
  },
  {
    name: "contract list --unpaid",
    query: () => contractListQuery({ unpaid: true, ...PAGE }),
    sqlite: /SCAN k USING INDEX contracts_unpaid_idx/,
    postgres: "contracts",
  },
  {
    name: "contract list --client",
    query: () => contractListQuery({ clientId: 5, ...PAGE }),
    sqlite: /SEARCH k USING INDEX contracts_client_idx \(client_id=\?\)/,
    postgres: "contracts",
  },
  { name: "event list", query: () => eventListQuery(PAGE), sqlite: /^SCAN e\b/, postgres: "events" },
  {
    name: "event list --mine (support)",
    query: () => eventListQuery({ supportContactId: 7, ...PAGE }),
    sqlite: /SEARCH e USING INDEX events_support_contact_idx \(support_contact_id=\?\)/,
    postgres: "events",
  },
  {
    name: "event list --mine (sales)",
    query: () => eventListQuery({ clientSalesContactId: 4, ...PAGE }),
    sqlite: /SEARCH e USING INDEX events_client_sales_contact_idx \(client_sales_contact_id=\?\)/,
    postgres: "events",
  },
  {
    name: "event list --unassigned",
    query: () => eventListQuery({ unassigned: true, ...PAGE }),
    sqlite: /SEARCH e USING INDEX events_(support_contact|unassigned)_idx/,
    postgres: "events",
  },
  {
    name: "event list --upcoming",
    query: () => eventListQuery({ endsAfter: NOW, ...PAGE }),
    sqlite: /SEARCH e USING INTEGER PRIMARY KEY \(rowid>\?\).*SEARCH id_days USING COVERING INDEX/,
    postgres: "events",
  },
  {
    name: "event list --contract",
    query: () => eventListQuery({ contractId: 5, ...PAGE }),
    sqlite: /SEARCH e USING INDEX events_contract_idx \(contract_id=\?\)/,
    postgres: "events",
  },
  {
    name: "event list --mine --upcoming (support)",
    query: () => eventListQuery({ supportContactId: 7, endsAfter: NOW, ...PAGE }),
    sqlite: /SEARCH e USING INDEX events_support_contact_idx \(support_contact_id=\? AND id>\?\)/,
  },
  {
    name: "event list --mine --upcoming (sales)",
    query: () => eventListQuery({ clientSalesContactId: 4, endsAfter: NOW, ...PAGE }),
    sqlite: /SEARCH e USING INDEX events_client_sales_contact_idx \(client_sales_contact_id=\? AND id>\?\)/,
  },
  { name: "audit list", query: () => auditListQuery(PAGE), sqlite: /^SCAN a\b/ },
  {
    name: "audit list --entity",
    query: () => auditListQuery({ entity: "client", ...PAGE }),
    sqlite: /SEARCH a USING INDEX audit_log_entity_order_idx \(entity=\?\)/,
  },
  {
    name: "audit list --entity --id",
    query: () => auditListQuery({ entity: "client", entityId: 3, ...PAGE }),
    sqlite: /SEARCH a USING INDEX audit_log_entity_idx \(entity=\? AND entity_id=\?\)/,
  },
  {
    name: "audit list --actor",
    query: () => auditListQuery({ actorId: 3, ...PAGE }),
    sqlite: /SEARCH a USING INDEX audit_log_actor_idx \(actor_id=\?\)/,
  },
  {
    name: "audit list --since",
    query: () => auditListQuery({ since: NOW, ...PAGE }),
    sqlite: /SEARCH a USING INTEGER PRIMARY KEY \(rowid>\?\).*SEARCH id_days USING COVERING INDEX/,
  },
  {
    name: "user list --role",
    query: () => userListQuery({ role: "SALES", ...PAGE }),
    sqlite: /SEARCH users USING INDEX users_role_idx \(role=\?\)/,
  },
];

/** Every combination of the filters of a list (the empty one included). */
function combinations<T extends object>(filters: readonly T[]): T[] {
  return filters.reduce<T[]>((all, filter) => [...all, ...all.map((f) => ({ ...f, ...filter }))], [{} as T]);
}

const EVENT_FILTERS: EventFilter[] = [
  { supportContactId: 7 },
  { clientSalesContactId: 4 },
  { unassigned: true },
  { endsAfter: NOW },
  { contractId: 5 },
];
const CONTRACT_FILTERS: ContractFilter[] = [
  { clientSalesContactId: 4 },
  { unsigned: true },
  { unpaid: true },
  { clientId: 5 },
];
const AUDIT_FILTERS: AuditFilter[] = [{ entity: "client" }, { entityId: 3 }, { actorId: 3 }, { since: NOW }];
const CLIENT_FILTERS: ClientFilter[] = [{ salesContactId: 4 }, { search: "müller" }];

async function sqlitePlan(db: Database, query: ListQuery): Promise<string> {
  const rows = await db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${query.sql}`, query.params);
  return rows.map((r) => r.detail).join(" | ");
}

Deno.test("SQLite: each first page reads its index in id order, never a sort of every row", async (t) => {
  const b = await createBackend("sqlite");
  try {
    const db = await b.db();
    await seed(db, { clients: 50, events: 500, bcryptRounds: 4 });
    for (const c of CASES) {
      await t.step(c.name, async () => {
        const plan = await sqlitePlan(db, c.query(db));
        assert.doesNotMatch(plan, /TEMP B-TREE/, plan);
        assert.match(plan, c.sqlite, plan);
      });
    }
    await t.step("every combination of filters, with and without paging", async () => {
      const queries = [
        ...combinations(EVENT_FILTERS).map((f) => eventListQuery({ ...f, ...PAGE })),
        ...combinations(EVENT_FILTERS).map((f) => eventListQuery(f)),
        ...combinations(CONTRACT_FILTERS).map((f) => contractListQuery({ ...f, ...PAGE })),
        ...combinations(AUDIT_FILTERS).map((f) => auditListQuery({ ...f, ...PAGE })),
        ...combinations(CLIENT_FILTERS).map((f) => clientListQuery(db, { ...f, ...PAGE })),
        clientListQuery(db, { search: "mü", ...PAGE }),
        userListQuery(PAGE),
      ];
      for (const query of queries) {
        const plan = await sqlitePlan(db, query);
        assert.doesNotMatch(plan, /TEMP B-TREE/, `${query.sql}\n${plan}`);
      }
    });
    await t.step("without display names (JSON): the same index, and no other table read", async () => {
      const plain = [
        ...combinations(EVENT_FILTERS).map((f) => ({ table: "e", query: eventListQuery({ ...f, display: false }) })),
        ...combinations(CONTRACT_FILTERS).map((f) => ({
          table: "k",
          query: contractListQuery({ ...f, display: false }),
        })),
        ...combinations(CLIENT_FILTERS).map((f) => ({
          table: "c",
          query: clientListQuery(db, { ...f, ...PAGE, display: false }),
        })),
      ];
      for (const { table, query } of plain) {
        const plan = await sqlitePlan(db, query);
        assert.doesNotMatch(plan, /TEMP B-TREE/, `${query.sql}\n${plan}`);
        assert.doesNotMatch(query.sql, /\bJOIN\b/, query.sql);
        // Only the list's own table (and, for a search or --upcoming, its index tables).
        for (const step of plan.split(" | ")) {
          const read = /^(?:SCAN|SEARCH) (\S+)/.exec(step)?.[1];
          if (read !== undefined) assert.ok([table, "id_days", "clients_search"].includes(read), `${step}\n${plan}`);
        }
      }
    });
  } finally {
    await b.dispose();
  }
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  /** The planner's estimate of the rows the node returns. */
  "Plan Rows": number;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

async function postgresPlan(db: Queryable, query: ListQuery): Promise<PlanNode[]> {
  const rows = await db.query<{ "QUERY PLAN": [{ Plan: PlanNode }] | string }>(
    `EXPLAIN (FORMAT JSON) ${query.sql}`,
    query.params as SqlValue[],
  );
  const raw = rows[0]["QUERY PLAN"];
  const json = typeof raw === "string" ? JSON.parse(raw) : raw;
  return nodesOf(json[0].Plan);
}

postgresTest("PostgreSQL (seeded, analyzed): the main lists read an index in id order, no sort", postgresPlans);

postgresTest(
  "PostgreSQL (30,000 clients, bulk-loaded): a search for a text found nowhere reads the trigram index",
  async (db) => {
    await seed(db, { clients: 30_000, events: 0, bcryptRounds: 4 });
    // Rows a bulk load added to the GIN index wait in its pending list until the load's
    // finish merges it; unmerged, the planner read every client instead (~220 ms at 100,000).
    for (const text of ["no-such-text", "zzqqxx"]) {
      const nodes = await postgresPlan(db, clientListQuery(db, { search: text, ...PAGE }));
      const text_ = JSON.stringify(nodes.map((n) => [n["Node Type"], n["Relation Name"], n["Index Name"]]));
      assert.ok(nodes.some((n) => n["Index Name"] === "clients_search_trgm_idx"), `${text}: ${text_}`);
      assert.ok(!nodes.some((n) => n["Relation Name"] === "clients" && !/Bitmap/.test(n["Node Type"])), text_);
    }
  },
);

async function postgresPlans(db: Database): Promise<void> {
  // Large enough that reading a whole table costs more than an index (the seed analyzes its tables).
  await seed(db, { clients: 2_000, events: 20_000, bcryptRounds: 4 });
  for (const c of CASES.filter((c) => c.postgres)) {
    const nodes = await postgresPlan(db, c.query(db));
    const text = JSON.stringify(nodes.map((n) => [n["Node Type"], n["Relation Name"], n["Index Name"]]));
    // No sort of the matching rows, unless they are expected to be fewer than a page (a client's two contracts).
    const sorts = nodes.filter((n) => /Sort/.test(n["Node Type"]) && n["Plan Rows"] > PAGE.limit);
    assert.deepEqual(sorts, [], `${c.name}: ${text}`);
    const reads = nodes.filter((n) =>
      n["Relation Name"] === c.postgres || n["Index Name"]?.startsWith(`${c.postgres}_`)
    );
    assert.ok(reads.length > 0 && reads.every((n) => /Index/.test(n["Node Type"])), `${c.name}: ${text}`);
    // Nor is a table of the data read whole (users is a handful of rows; id_days a few per 1,024 events).
    const whole = nodes.filter((n) =>
      n["Node Type"] === "Seq Scan" && !["users", "id_days"].includes(n["Relation Name"]!)
    );
    assert.deepEqual(whole, [], `${c.name}: ${text}`);
  }
  // The trigram index serves the search's regular expressions (the planner takes it when it pays off).
  await db.transaction(async (tx) => {
    // Neither a whole-table read nor the id order: what is left is the trigram index, when it serves the pattern.
    await tx.execute("SET LOCAL enable_seqscan = off");
    await tx.execute("SET LOCAL enable_indexscan = off");
    for (const text of ["müller", "no-such-text", "100%"]) {
      const nodes = await postgresPlan(tx, clientListQuery(tx, { search: text, ...PAGE }));
      assert.ok(
        nodes.some((n) => n["Index Name"] === "clients_search_trgm_idx"),
        `${text}: ${JSON.stringify(nodes.map((n) => [n["Node Type"], n["Index Name"]]))}`,
      );
    }
  });
}

/**
 * A list as the program runs it (its query and its list function), and the
 * values it most often runs with against rare ones: a value whose rows are
 * none or few among many, a large page. Under `plan_cache_mode = auto`
 * PostgreSQL may keep a generic plan after five runs; the plan a rare value
 * then gets must still read `index`.
 */
interface AutoCase {
  name: string;
  /** The statement run with its common values, through the list function. */
  common: (db: Queryable) => { query: ListQuery; rows: AsyncIterable<unknown> };
  rare: (db: Queryable) => ListQuery[];
  /** The index a plan for a rare value must read (no other read of the table, no sort of more than a page). */
  index: RegExp;
  /** The table it belongs to. */
  table: string;
}

function autoCase<F>(
  name: string,
  list: { query: (db: Queryable, filter: F) => ListQuery; rows: (db: Queryable, filter: F) => AsyncIterable<unknown> },
  values: { common: F; rare: F[]; index: RegExp; table: string },
): AutoCase {
  return {
    name,
    common: (db) => ({ query: list.query(db, values.common), rows: list.rows(db, values.common) }),
    rare: (db) => values.rare.map((filter) => list.query(db, filter)),
    index: values.index,
    table: values.table,
  };
}

const CLIENTS = { query: clientListQuery, rows: listClients };
const CONTRACTS = { query: (_db: Queryable, f: ContractFilter) => contractListQuery(f), rows: listContracts };
const EVENTS = { query: (_db: Queryable, f: EventFilter) => eventListQuery(f), rows: listEvents };
const AUDIT = { query: (_db: Queryable, f: AuditFilter) => auditListQuery(f), rows: listAuditEntries };

/** A page as the server's list asks for it, and pages no one asks for often. */
const SERVER_PAGE = { limit: 50 };
const LARGE_PAGES = [{ limit: 100_000 }, { limit: 100_000, offset: 0 }];
const FAR_PAGES = [{ limit: 50, offset: 25_000 }];
/** The seed below: two SALES (2, 3) and two SUPPORT (4, 5) own everything; 6 (SALES) and 7 (SUPPORT) just joined. */
const NEW_SALES = 6;
const NEW_SUPPORT = 7;
const FUTURE = "2999-01-01T00:00:00.000Z";

const AUTO_CASES: AutoCase[] = [
  autoCase("client list (the server's page)", CLIENTS, {
    common: { ...SERVER_PAGE, display: false },
    rare: [{ limit: 100_000, display: false }],
    index: /^clients_pkey$/,
    table: "clients",
  }),
  autoCase("client list, a later page", CLIENTS, {
    common: { limit: 50, offset: 50 },
    rare: FAR_PAGES,
    index: /^clients_pkey$/,
    table: "clients",
  }),
  autoCase("client list --mine", CLIENTS, {
    common: { salesContactId: 2, ...PAGE },
    rare: [{ salesContactId: NEW_SALES, ...PAGE }, { salesContactId: NEW_SALES, limit: 100_000 }],
    index: /^clients_sales_contact_idx$/,
    table: "clients",
  }),
  autoCase("client list --search", CLIENTS, {
    common: { search: "mar", ...PAGE },
    rare: [{ search: "zzqqxx", ...PAGE }, { search: "no-such-text", ...PAGE }],
    index: /^clients_search_trgm_idx$/,
    table: "clients",
  }),
  autoCase("contract list", CONTRACTS, {
    common: PAGE,
    rare: LARGE_PAGES,
    index: /^contracts_pkey$/,
    table: "contracts",
  }),
  autoCase("contract list --mine", CONTRACTS, {
    common: { clientSalesContactId: 3, ...PAGE },
    rare: [{ clientSalesContactId: NEW_SALES, ...PAGE }],
    index: /^contracts_client_sales_contact_idx$/,
    table: "contracts",
  }),
  autoCase("contract list --unsigned", CONTRACTS, {
    common: { unsigned: true, ...PAGE },
    rare: [{ unsigned: true, limit: 100_000 }],
    index: /^contracts_unsigned_idx$/,
    table: "contracts",
  }),
  autoCase("contract list --unpaid", CONTRACTS, {
    common: { unpaid: true, ...PAGE },
    rare: [{ unpaid: true, limit: 100_000 }],
    index: /^contracts_unpaid_idx$/,
    table: "contracts",
  }),
  autoCase("contract list --unsigned --unpaid", CONTRACTS, {
    common: { unsigned: true, unpaid: true, ...PAGE },
    rare: [{ unsigned: true, unpaid: true, limit: 100_000 }],
    index: /^contracts_(unsigned|unpaid)_idx$/,
    table: "contracts",
  }),
  autoCase("event list", EVENTS, { common: PAGE, rare: LARGE_PAGES, index: /^events_pkey$/, table: "events" }),
  autoCase("event list --unassigned", EVENTS, {
    common: { unassigned: true, ...PAGE },
    rare: [{ unassigned: true, limit: 100_000 }],
    index: /^events_unassigned_idx$/,
    table: "events",
  }),
  autoCase("event list --mine (support)", EVENTS, {
    common: { supportContactId: 4, ...PAGE },
    rare: [{ supportContactId: NEW_SUPPORT, ...PAGE }],
    index: /^events_support_contact_idx$/,
    table: "events",
  }),
  autoCase("event list --mine (sales)", EVENTS, {
    common: { clientSalesContactId: 2, ...PAGE },
    rare: [{ clientSalesContactId: NEW_SALES, ...PAGE }],
    index: /^events_client_sales_contact_idx$/,
    table: "events",
  }),
  autoCase("event list --upcoming", EVENTS, {
    common: { endsAfter: NOW, ...PAGE },
    rare: [{ endsAfter: FUTURE, ...PAGE }],
    // In id order from the first id that may match, or (nothing ends after it) the range of end dates.
    index: /^events_(pkey|end_date_idx)$/,
    table: "events",
  }),
  autoCase("audit list", AUDIT, { common: PAGE, rare: LARGE_PAGES, index: /^audit_log_pkey$/, table: "audit_log" }),
  autoCase("audit list --entity", AUDIT, {
    common: { entity: "client", ...PAGE },
    rare: [{ entity: "user", ...PAGE }],
    index: /^audit_log_entity_order_idx$/,
    table: "audit_log",
  }),
];

/** What a plan reads and sorts, for messages. */
function described(nodes: PlanNode[]): string {
  return JSON.stringify(nodes.map((n) => [n["Node Type"], n["Relation Name"], n["Index Name"], n["Plan Rows"]]));
}

/** Whether a plan reads `c.index` for its table, reads the table no other way, and sorts no more than a page. */
function assertIndexPlan(c: AutoCase, nodes: PlanNode[], what: string): void {
  const text = `${c.name}, ${what}: ${described(nodes)}`;
  assert.ok(nodes.some((n) => c.index.test(n["Index Name"] ?? "")), text);
  // The table itself only through that index (a bitmap of it, or the rows it points to).
  const reads = nodes.filter((n) => n["Relation Name"] === c.table && n["Index Name"] === undefined);
  assert.ok(reads.every((n) => /Bitmap Heap Scan/.test(n["Node Type"])), text);
  assert.ok(
    nodes.filter((n) => n["Index Name"]?.startsWith(`${c.table}_`)).every((n) => c.index.test(n["Index Name"]!)),
    text,
  );
  assert.deepEqual(nodes.filter((n) => /Sort/.test(n["Node Type"]) && n["Plan Rows"] > PAGE.limit), [], text);
}

/** The plan of `EXPLAIN EXECUTE name(values)`: what the prepared statement `name` gets for them now. */
async function executePlan(db: Queryable, name: string, params: readonly SqlValue[]): Promise<PlanNode[]> {
  const values = inlineParams(params.map((_, i) => `$${i + 1}`).join(", "), params);
  const rows = await db.query<{ "QUERY PLAN": [{ Plan: PlanNode }] | string }>(
    `EXPLAIN (FORMAT JSON) EXECUTE "${name.replaceAll('"', '""')}"${params.length > 0 ? `(${values})` : ""}`,
  );
  const raw = rows[0]["QUERY PLAN"];
  const json = typeof raw === "string" ? JSON.parse(raw) : raw;
  return nodesOf(json[0].Plan);
}

postgresTest(
  "PostgreSQL (plan_cache_mode auto): after six runs with common values, a rare value or a large page still reads its index",
  async (db) => {
    // A small agency: two sales and two support contacts own every client and event; one of each has just joined.
    await seed(db, { clients: 30_000, events: 20_000, management: 1, sales: 2, support: 2, bcryptRounds: 4 });
    for (const [role, email] of [["SALES", "new.sales@epic.example"], ["SUPPORT", "new.support@epic.example"]]) {
      await insertUser(db, {
        first_name: "New",
        last_name: role,
        email,
        phone: null,
        role: role as "SALES" | "SUPPORT",
        password_hash: "x",
        now: NOW,
      });
    }
    // The audit log: changes of clients, contracts and events by the thousand, three of users.
    await insertAuditEntries(db, [
      ...Array.from({ length: 20_000 }, (_, i) => ({
        occurred_at: NOW,
        actor_id: 2 + (i % 2),
        action: "update",
        entity: ["client", "contract", "event"][i % 3],
        entity_id: 1 + (i % 30_000),
      })),
      ...[1, 2, 3].map((id) => ({ occurred_at: NOW, actor_id: 1, action: "update", entity: "user", entity_id: id })),
    ]);
    await db.execute("ANALYZE audit_log");
    const ids = await db.query<{ id: number }>("SELECT id FROM users WHERE first_name = 'New' ORDER BY id");
    assert.deepEqual(ids.map((u) => u.id), [NEW_SALES, NEW_SUPPORT]);

    // One connection, as a transaction holds it: its prepared statements and the plans they keep.
    await db.transaction(async (tx) => {
      const mode = await tx.one<{ plan_cache_mode: string }>("SHOW plan_cache_mode");
      // Under force_generic_plan even an unnamed statement would get a generic plan.
      assert.equal(mode?.plan_cache_mode, "auto");
      for (const c of AUTO_CASES) {
        const { query } = c.common(tx);
        for (let run = 0; run < 6; run++) await Array.fromAsync(c.common(tx).rows);
        const prepared = await tx.query<{ name: string; generic_plans: number }>(
          "SELECT name, generic_plans FROM pg_prepared_statements WHERE statement = $1",
          [query.sql],
        );
        // A list whose conditions bind a value runs unnamed (planned for its values every time); the others are prepared.
        assert.equal(prepared.length, query.customPlan ? 0 : 1, `${c.name}: ${query.sql}`);
        for (const rare of c.rare(tx)) {
          assert.equal(rare.sql, query.sql, c.name);
          if (query.customPlan) {
            assertIndexPlan(c, await postgresPlan(tx, rare), `planned for ${JSON.stringify(rare.params)}`);
            continue;
          }
          // What auto gives the rare values after six runs, and the generic plan whatever auto decides later.
          const name = prepared[0].name;
          assertIndexPlan(
            c,
            await executePlan(tx, name, rare.params),
            `after six runs, ${JSON.stringify(rare.params)}`,
          );
          await tx.execute("SET LOCAL plan_cache_mode = force_generic_plan");
          assertIndexPlan(c, await executePlan(tx, name, rare.params), `generic plan, ${JSON.stringify(rare.params)}`);
          await tx.execute("SET LOCAL plan_cache_mode = auto");
        }
      }
    });
  },
);
