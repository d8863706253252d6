/**
 * Fills a database with a realistic, deterministic data set for benchmarks and
 * demos: collaborators of each role, clients, two contracts per client (about
 * half signed), and events on signed contracts only (about half of them
 * without a support contact), dated over five years, with accented names.
 *
 *     deno task seed -- --clients 100000 --events 1000000
 *     DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench deno task seed -- --events 10000
 *
 * The database comes from `DATABASE_URL` (either backend), is migrated first
 * with the program's own migrator, and must hold no users, clients, contracts
 * or events (or pass `--reset` to delete them). The same options always give
 * the same rows (seeded PRNG, fixed date window). Every collaborator's
 * password is `SEED_PASSWORD` (default {@link DEFAULT_SEED_PASSWORD}), hashed
 * once with bcrypt; the first manager is `management1@epic-events.example`.
 *
 * Rows go in through multi-row parameterised statements inside large
 * transactions, with a progress line on stderr.
 * @module
 */
import { parseArgs } from "node:util";
import { parseDatabaseUrl } from "../src/config.ts";
import { connect } from "../src/db/connect.ts";
import type { Database, SqlValue } from "../src/db/database.ts";
import { migrateUp } from "../src/db/migrator.ts";
import { MIGRATIONS } from "../migrations/mod.ts";
import { hashPassword } from "../src/security/passwords.ts";
import { finishBulkLoad } from "../src/repositories/sql.ts";

/** The password of every seeded collaborator unless `SEED_PASSWORD` is set. */
export const DEFAULT_SEED_PASSWORD = "epic-events-seed";

/** Domain of the seeded collaborators' emails (`sales3@epic-events.example`). */
export const STAFF_DOMAIN = "epic-events.example";

/** What to generate. */
export interface SeedOptions {
  clients: number;
  events: number;
  /** Collaborators of each role (defaults grow with the data). */
  management?: number;
  sales?: number;
  support?: number;
  /** PRNG seed: the same seed and sizes give the same rows. */
  seed?: number;
  /** bcrypt cost of the one hash shared by every collaborator. */
  bcryptRounds?: number;
  password?: string;
  /** Delete existing rows first instead of refusing a non-empty database. */
  reset?: boolean;
  /** Called with a progress line (no newline) as rows go in. */
  progress?: (line: string, done: boolean) => void;
}

/** What was written and how long it took. */
export interface SeedSummary {
  users: { management: number; sales: number; support: number };
  clients: number;
  contracts: number;
  signedContracts: number;
  events: number;
  unassignedEvents: number;
  seconds: { total: number; users: number; clients: number; contracts: number; events: number; analyze: number };
}

// --- deterministic randomness ------------------------------------------------

/** sfc32: small, fast, good enough for test data, and the same everywhere. */
function prng(seed: number): () => number {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = () => {
    a >>>= 0, b >>>= 0, c >>>= 0, d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

class Rng {
  #next: () => number;
  constructor(seed: number) {
    this.#next = prng(seed);
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#next() * items.length)];
  }
  chance(p: number): boolean {
    return this.#next() < p;
  }
}

// --- vocabulary ----------------------------------------------------------------

const FIRST_NAMES = [
  "Zoé",
  "François",
  "Hélène",
  "Jérôme",
  "Björn",
  "Çağla",
  "Søren",
  "Núria",
  "Chloé",
  "Ángel",
  "Agnès",
  "Anaïs",
  "Loïc",
  "Gaël",
  "Maëlle",
  "Noémie",
  "Thérèse",
  "Jürgen",
  "Łukasz",
  "İlker",
  "José",
  "João",
  "Inès",
  "Benoît",
  "Céline",
  "Cédric",
  "Léa",
  "Raphaël",
  "Émile",
  "Élodie",
  "Oğuz",
  "Ana",
  "Marie",
  "Thomas",
  "Kevin",
  "Sofia",
  "Lucas",
  "Emma",
  "Hugo",
  "Camille",
];

const LAST_NAMES = [
  "Dupont",
  "Lefèvre",
  "Müller",
  "Gonçalves",
  "Østergaard",
  "Núñez",
  "Åberg",
  "Schröder",
  "Dvořák",
  "Kowalski",
  "Ibáñez",
  "García",
  "Bérénger",
  "Giraud",
  "Moreau",
  "Côté",
  "Gagné",
  "Mercier",
  "Beaulieu",
  "Fontaine",
  "Chevalier",
  "Brûlé",
  "Périer",
  "Lemaître",
  "Söderberg",
  "Yılmaz",
  "Özdemir",
  "Şahin",
  "Martin",
  "Bernard",
  "Petit",
  "Durand",
  "Leroy",
  "O'Brien",
  "Nguyễn",
  "Ferreira",
];

const COMPANY_SUFFIXES = [
  "SARL",
  "& Fils",
  "Événements",
  "Traiteur",
  "GmbH",
  "Conseil",
  "Studio",
  "Productions",
  "Hôtellerie",
  "Réceptions",
  "Ltd",
  "Cie",
];

const EVENT_KINDS = [
  "Gala",
  "Séminaire",
  "Soirée de lancement",
  "Conférence",
  "Mariage",
  "Anniversaire",
  "Assemblée générale",
  "Fête d'été",
  "Team building",
  "Salon",
  "Dîner de fin d'année",
  "Journée portes ouvertes",
];

const LOCATIONS = [
  "Château de Chambord, Loir-et-Cher",
  "Palais des Congrès, Paris",
  "Zürich, Kongresshaus",
  "Montréal, Québec",
  "São Paulo, Centro de Convenções",
  "Kraków, Rynek Główny",
  "Köln Messe",
  "Genève, Salle Métropole",
  "Sevilla, Plaza de España",
  "Malmö Live",
  "Nîmes, Arènes",
  "Besançon, Citadelle",
  "Orléans, Hôtel Groslot",
  "Reykjavík, Harpa",
  "İstanbul, Çırağan Sarayı",
  "Lyon, Halle Tony Garnier",
  "Bordeaux, Hangar 14",
  "Marseille, Pharo",
];

const NOTES = [
  "Prévoir un traiteur végétarien.",
  "Accès PMR nécessaire.",
  "Parking réservé pour 20 véhicules.",
  "DJ jusqu'à 2 h du matin.",
  "Le client veut un photographe et un vestiaire.",
  "Décoration florale : pivoines et lys.",
  "Übersetzer für 3 Sprachen vorsehen.",
];

const EMAIL_DOMAINS = ["example.com", "example.org", "example.net", "exemple.example", "beispiel.example"];

/** ASCII, lower-case, for email local parts: `Dvořák` → `dvorak`. */
function slug(text: string): string {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/ı/g, "i").replace(/ø/gi, "o")
    .replace(/ł/gi, "l").replace(/[^A-Za-z0-9]+/g, "").toLowerCase();
}

/** A phone number the program accepts (5–20 characters of digits, spaces, `+ - ( ) .`). */
function phone(rng: Rng): string {
  const d = (n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join("");
  switch (rng.int(0, 3)) {
    case 0:
      return `+33 6 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`;
    case 1:
      return `+49 30 ${d(7)}`;
    case 2:
      return `(514) 555-${d(4)}`;
    default:
      return `0${rng.int(1, 9)}.${d(2)}.${d(2)}.${d(2)}.${d(2)}`;
  }
}

// --- dates -----------------------------------------------------------------------

const DAY = 86_400_000;
/** Clients and contracts are created from here … */
const CREATED_FROM = Date.UTC(2021, 0, 1);
/** … events start from here, over five years (some are still upcoming). */
const EVENTS_FROM = Date.UTC(2023, 0, 1);
const FIVE_YEARS = 5 * 365 * DAY;
const QUARTER_HOUR = 15 * 60_000;
/** Contracts are made within this many days of their client. */
const CONTRACT_DELAY_DAYS = 60;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// --- inserting ---------------------------------------------------------------------

/** Rows written per transaction. */
const ROWS_PER_TRANSACTION = 200_000;
/** Rows handed to the adapter's multi-row insert at a time (it splits them as its dialect does best). */
const ROWS_PER_BATCH = 5_000;

/**
 * The columns written, per table. Contracts and events also get their
 * client's sales contact (`client_sales_contact_id`, migration 0005): the
 * triggers that keep it would otherwise look it up for every row.
 */
const COLUMNS = {
  users: ["id", "first_name", "last_name", "email", "phone", "password_hash", "role", "created_at", "updated_at"],
  clients: ["id", "full_name", "email", "phone", "company_name", "sales_contact_id", "created_at", "last_updated"],
  contracts: [
    "id",
    "client_id",
    "sales_contact_id",
    "total_amount_cents",
    "amount_due_cents",
    "created_at",
    "signed_status",
    "client_sales_contact_id",
    "signed_at",
  ],
  events: [
    "id",
    "name",
    "contract_id",
    "client_id",
    "client_contact",
    "start_date",
    "end_date",
    "support_contact_id",
    "location",
    "attendees",
    "notes",
    "client_sales_contact_id",
    "updated_at",
  ],
} as const satisfies Record<string, readonly string[]>;

type Table = keyof typeof COLUMNS;

/**
 * Writes `count` rows made by `make(i)` (i from 0) into `table`, through the
 * adapter's multi-row insert, in transactions of {@link ROWS_PER_TRANSACTION}.
 */
async function fill(
  db: Database,
  table: Table,
  count: number,
  make: (i: number) => SqlValue[],
  report: (table: Table, done: number, total: number) => void,
): Promise<void> {
  let i = 0;
  while (i < count) {
    const end = Math.min(count, i + ROWS_PER_TRANSACTION);
    await db.transaction(async (tx) => {
      for (const statement of tx.sql.bulkLoad.transaction) await tx.execute(statement);
      while (i < end) {
        const stop = Math.min(end, i + ROWS_PER_BATCH);
        const rows: SqlValue[][] = [];
        for (; i < stop; i++) rows.push(make(i));
        await tx.insertMany(table, COLUMNS[table], rows);
      }
    });
    report(table, i, count);
  }
}

// --- the data set --------------------------------------------------------------------

/** Collaborators of each role when not given: they grow with the data. */
export function defaultStaff(clients: number, events: number): { management: number; sales: number; support: number } {
  return {
    management: 3,
    sales: Math.max(2, Math.ceil(clients / 250)),
    support: Math.max(2, Math.ceil(events / 2500)),
  };
}

const DATA_TABLES = ["events", "contracts", "clients", "users"] as const;
const OTHER_TABLES = ["audit_log", "revoked_tokens", "login_attempts", "id_days"] as const;

async function ensureEmpty(db: Database, reset: boolean): Promise<void> {
  const counts = await Promise.all(
    DATA_TABLES.map(async (t) => Number((await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${t}`))?.n ?? 0)),
  );
  if (counts.every((n) => n === 0)) return;
  if (!reset) {
    throw new SeedError(
      `the database already holds data (${DATA_TABLES.map((t, i) => `${counts[i]} ${t}`).join(", ")}); ` +
        "use an empty database or pass --reset to delete every row first",
    );
  }
  await db.transaction(async (tx) => {
    for (const table of [...OTHER_TABLES, ...DATA_TABLES]) await tx.execute(`DELETE FROM ${table}`);
  });
}

/** A problem with the options or the database, shown as one line. */
export class SeedError extends Error {}

/** Migrates `db` and fills it; see the module documentation. */
export async function seed(db: Database, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const clients = options.clients;
  const events = options.events;
  if (!Number.isSafeInteger(clients) || clients < 0) throw new SeedError("--clients: must be a whole number ≥ 0");
  if (!Number.isSafeInteger(events) || events < 0) throw new SeedError("--events: must be a whole number ≥ 0");
  if (events > 0 && clients === 0) throw new SeedError("--events: events need clients (--clients ≥ 1)");
  const staff = { ...defaultStaff(clients, events) };
  for (const role of ["management", "sales", "support"] as const) {
    const n = options[role];
    if (n !== undefined) {
      if (!Number.isSafeInteger(n) || n < 1) throw new SeedError(`--${role}: must be a whole number ≥ 1`);
      staff[role] = n;
    }
  }
  const rng = new Rng(options.seed ?? 1);
  const progress = options.progress ?? (() => {});
  const lap = (() => {
    let last = performance.now();
    return () => {
      const now = performance.now();
      const seconds = (now - last) / 1000;
      last = now;
      return seconds;
    };
  })();
  const report = (table: Table, done: number, total: number) => {
    const seconds = (performance.now() - started) / 1000;
    progress(
      `${table}: ${done.toLocaleString("en")}/${total.toLocaleString("en")} (${
        Math.floor(done * 100 / Math.max(1, total))
      }%) ${seconds.toFixed(1)} s`,
      false,
    );
  };

  await migrateUp(db, { migrations: MIGRATIONS });
  await ensureEmpty(db, options.reset ?? false);
  for (const statement of db.sql.bulkLoad.connection) await db.execute(statement);
  lap();

  // Collaborators: ids 1… management, then sales, then support.
  const passwordHash = await hashPassword(options.password ?? DEFAULT_SEED_PASSWORD, options.bcryptRounds ?? 10);
  const roles: ("MANAGEMENT" | "SALES" | "SUPPORT")[] = [
    ...Array<"MANAGEMENT">(staff.management).fill("MANAGEMENT"),
    ...Array<"SALES">(staff.sales).fill("SALES"),
    ...Array<"SUPPORT">(staff.support).fill("SUPPORT"),
  ];
  const firstSales = staff.management + 1;
  const firstSupport = firstSales + staff.sales;
  const staffCreated = iso(CREATED_FROM - 30 * DAY);
  await fill(db, "users", roles.length, (i) => {
    const role = roles[i];
    const n = role === "MANAGEMENT" ? i + 1 : role === "SALES" ? i + 2 - firstSales : i + 2 - firstSupport;
    return [
      i + 1,
      rng.pick(FIRST_NAMES),
      rng.pick(LAST_NAMES),
      `${role.toLowerCase()}${n}@${STAFF_DOMAIN}`,
      rng.chance(0.8) ? phone(rng) : null,
      passwordHash,
      role,
      staffCreated,
      staffCreated,
    ];
  }, report);
  const usersSeconds = lap();

  // Clients, each with a sales contact; remembered for their contracts.
  const clientSales = new Int32Array(clients + 1);
  const clientCreated = new Float64Array(clients + 1);
  const clientLast = new Array<string>(clients + 1);
  await fill(db, "clients", clients, (i) => {
    const id = i + 1;
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const sales = firstSales + rng.int(0, staff.sales - 1);
    // Ids follow time (clients are entered as they come): over five years.
    const spacing = FIVE_YEARS / clients;
    const created = CREATED_FROM + Math.floor((i * spacing + rng.int(0, Math.max(0, spacing - 1))) / 1000) * 1000;
    const updated = created + (rng.chance(0.3) ? rng.int(0, 365) * DAY : 0);
    clientSales[id] = sales;
    clientCreated[id] = created;
    clientLast[id] = last;
    return [
      id,
      `${first} ${last}`,
      `${slug(first)}.${slug(last)}.${id}@${rng.pick(EMAIL_DOMAINS)}`,
      phone(rng),
      `${rng.pick(LAST_NAMES)} ${rng.pick(COMPANY_SUFFIXES)}`,
      sales,
      iso(created),
      iso(updated),
    ];
  }, report);
  const clientsSeconds = lap();

  // Two contracts per client (ids 2i-1 and 2i), made within the first
  // CONTRACT_DELAY_DAYS of the client; about half signed.
  const signed: number[] = [];
  await fill(db, "contracts", clients * 2, (i) => {
    const id = i + 1;
    const client = (i >> 1) + 1;
    const total = rng.int(500, 150_000) * 100 + (rng.chance(0.3) ? rng.int(1, 99) : 0);
    const isSigned = rng.chance(0.5) || id === 1; // at least one, for events
    const due = !isSigned ? total : rng.chance(0.5) ? 0 : rng.int(1, total);
    if (isSigned) signed.push(id);
    // Drawn in this order (as the columns were), so that the same options still give the same rows.
    const salesContact = rng.chance(0.9) ? clientSales[client] : firstSales + rng.int(0, staff.sales - 1);
    const created = clientCreated[client] + rng.int(0, CONTRACT_DELAY_DAYS * 24) * 3_600_000;
    return [
      id,
      client,
      salesContact,
      total,
      due,
      iso(created),
      isSigned,
      clientSales[client],
      // Signed within a month of its creation (no draw of the PRNG: the other columns stay as they were).
      isSigned ? iso(created + ((id * 7919) % (30 * 24)) * 3_600_000) : null,
    ];
  }, report);
  const contractsSeconds = lap();

  // Events on signed contracts; about half without a support contact. Ids
  // follow time, as when events are entered as they are booked: the i-th
  // starts about i/events of the way through its five years, on a contract
  // signed before, recent ones more often.
  let unassigned = 0;
  let available = 0; // signed contracts surely made before the current event
  const clientOf = (contract: number) => (contract + 1) >> 1;
  await fill(db, "events", events, (i) => {
    const base = Math.floor((i / Math.max(1, events)) * (FIVE_YEARS / QUARTER_HOUR));
    const start = EVENTS_FROM + Math.min(base + rng.int(0, 96 * 14), FIVE_YEARS / QUARTER_HOUR) * QUARTER_HOUR;
    // `base` never decreases, so `available` only grows.
    while (
      available < signed.length &&
      clientCreated[clientOf(signed[available])] + CONTRACT_DELAY_DAYS * DAY <= EVENTS_FROM + base * QUARTER_HOUR
    ) available++;
    const pool = Math.max(1, available);
    const back = Math.floor(pool * rng.int(0, 999_999) ** 2 / 1e12);
    const contract = signed[pool - 1 - back];
    const client = clientOf(contract);
    const end = start + rng.int(2, 72) * 3_600_000;
    const support = rng.chance(0.5) ? null : firstSupport + rng.int(0, staff.support - 1);
    if (support === null) unassigned++;
    return [
      i + 1,
      `${rng.pick(EVENT_KINDS)} ${clientLast[client]} ${new Date(start).getUTCFullYear()}`,
      contract,
      client,
      `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`,
      iso(start),
      iso(end),
      support,
      rng.pick(LOCATIONS),
      rng.int(5, 5000),
      rng.chance(0.4) ? null : rng.pick(NOTES),
      clientSales[client],
      // Last changed when it was booked (ids follow time; no draw of the PRNG).
      iso(EVENTS_FROM + base * QUARTER_HOUR),
    ];
  }, report);
  const eventsSeconds = lap();

  // Move the id sequences past the explicit ids (PostgreSQL), then what the
  // dialect does after a load (finishBulkLoad: merged search indexes and
  // planner statistics, which autovacuum would gather a little later; a WAL
  // checkpoint on SQLite).
  for (const table of DATA_TABLES) {
    const reset = db.sql.resetIdentity(table, "id");
    if (reset) await db.query(reset);
  }
  await finishBulkLoad(db, [...DATA_TABLES, "id_days"]);
  const analyzeSeconds = lap();
  progress("", true);
  return {
    users: staff,
    clients,
    contracts: clients * 2,
    signedContracts: signed.length,
    events,
    unassignedEvents: unassigned,
    seconds: {
      total: (performance.now() - started) / 1000,
      users: usersSeconds,
      clients: clientsSeconds,
      contracts: contractsSeconds,
      events: eventsSeconds,
      analyze: analyzeSeconds,
    },
  };
}

// --- command line ----------------------------------------------------------------------

const USAGE = `Usage: deno task seed -- [--clients N] [--events N] [options]

Fills the database named by DATABASE_URL (sqlite:///path.db or postgres://…)
with deterministic test data, after migrating it.

  --clients N      clients (default 1000); each gets 2 contracts
  --events N       events on signed contracts (default 5000)
  --management N   MANAGEMENT collaborators (default 3)
  --sales N        SALES collaborators (default: clients / 250)
  --support N      SUPPORT collaborators (default: events / 2500)
  --seed N         PRNG seed (default 1)
  --reset          delete every existing row first
  --json           print the summary as JSON on stdout

Collaborators log in as management1@${STAFF_DOMAIN}, sales1@…, support1@…
with the password SEED_PASSWORD (default "${DEFAULT_SEED_PASSWORD}");
BCRYPT_ROUNDS sets the cost of its hash (default 10).`;

function count(value: string | undefined, flag: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll("_", ""));
  if (!/^\d[\d_]*$/.test(value) || !Number.isSafeInteger(n)) {
    throw new SeedError(`${flag}: not a whole number: ${value}`);
  }
  return n;
}

async function main(args: string[]): Promise<number> {
  let db: Database | undefined;
  try {
    // `deno task seed -- --clients 10` passes the `--` on: skip it.
    if (args[0] === "--") args = args.slice(1);
    const { values } = parseArgs({
      args,
      options: {
        clients: { type: "string" },
        events: { type: "string" },
        management: { type: "string" },
        sales: { type: "string" },
        support: { type: "string" },
        seed: { type: "string" },
        reset: { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const url = Deno.env.get("DATABASE_URL");
    if (!url) throw new SeedError("DATABASE_URL: set it to the database to fill (sqlite:///path.db or postgres://…)");
    const target = parseDatabaseUrl(url, Deno.cwd(), Deno.cwd());
    const rounds = count(Deno.env.get("BCRYPT_ROUNDS"), "BCRYPT_ROUNDS", 10)!;
    if (rounds < 4 || rounds > 31) throw new SeedError("BCRYPT_ROUNDS: must be between 4 and 31");
    const tty = Deno.stderr.isTerminal();
    const encoder = new TextEncoder();
    let lastLine = 0;
    db = await connect(target);
    const summary = await seed(db, {
      clients: count(values.clients, "--clients", 1000)!,
      events: count(values.events, "--events", 5000)!,
      management: count(values.management, "--management"),
      sales: count(values.sales, "--sales"),
      support: count(values.support, "--support"),
      seed: count(values.seed, "--seed", 1),
      bcryptRounds: rounds,
      password: Deno.env.get("SEED_PASSWORD") || undefined,
      reset: values.reset ?? false,
      progress: (line, done) => {
        if (tty) {
          Deno.stderr.writeSync(encoder.encode(done ? "\r\x1b[K" : `\r\x1b[K${line}`));
        } else if (!done && performance.now() - lastLine > 2000) {
          // Not a terminal (a log, CI): one line every two seconds at most.
          lastLine = performance.now();
          Deno.stderr.writeSync(encoder.encode(`${line}\n`));
        }
      },
    });
    if (values.json) {
      console.log(JSON.stringify(summary));
    } else {
      const s = summary.seconds;
      console.error(
        `seeded ${summary.users.management + summary.users.sales + summary.users.support} collaborators, ` +
          `${summary.clients.toLocaleString("en")} clients, ${summary.contracts.toLocaleString("en")} contracts ` +
          `(${summary.signedContracts.toLocaleString("en")} signed), ${summary.events.toLocaleString("en")} events ` +
          `(${summary.unassignedEvents.toLocaleString("en")} unassigned) in ${s.total.toFixed(1)} s ` +
          `(users ${s.users.toFixed(1)}, clients ${s.clients.toFixed(1)}, contracts ${s.contracts.toFixed(1)}, ` +
          `events ${s.events.toFixed(1)}, finish ${s.analyze.toFixed(1)})`,
      );
    }
    return 0;
  } catch (error) {
    const message = error instanceof SeedError || (error as { code?: string })?.code?.startsWith("ERR_PARSE_ARGS")
      ? (error as Error).message
      : (error as Error)?.stack ?? String(error);
    console.error(`seed: ${message}`);
    return error instanceof SeedError || (error as { code?: string })?.code?.startsWith("ERR_PARSE_ARGS") ? 2 : 1;
  } finally {
    await db?.close();
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
