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
import { type AuditFilter, auditListQuery } from "../../src/repositories/audit.ts";
import { type ClientFilter, clientListQuery } from "../../src/repositories/clients.ts";
import { type ContractFilter, contractListQuery } from "../../src/repositories/contracts.ts";
import { type EventFilter, eventListQuery } from "../../src/repositories/events.ts";
import type { ListQuery } from "../../src/repositories/sql.ts";
import { userListQuery } from "../../src/repositories/users.ts";
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
