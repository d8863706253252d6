/**
 * Records made through the CLI, as a collaborator makes them, for tests that
 * need a client, a (signed) contract or an event to work on.
 * @module
 */
import { ok, type Person } from "./fixtures.ts";

let made = 0;

/** A client of `by` (MANAGEMENT: pass `--sales-contact-id` in `extra`); returns its id. */
export async function makeClient(
  by: Person,
  fields: { full_name?: string; company_name?: string; email?: string } = {},
  extra: string[] = [],
): Promise<number> {
  const n = ++made;
  const created = await ok<{ id: number }>(by.cli([
    "client",
    "create",
    "--full-name",
    fields.full_name ?? `Client ${n}`,
    "--email",
    fields.email ?? `client${n}@world.test`,
    "--phone",
    "+33 6 12 34 56 78",
    "--company-name",
    fields.company_name ?? "Acme",
    ...extra,
    "--json",
  ]));
  return created.id;
}

/** A contract of `clientId` for `total`, signed unless `signed: false`; returns its id. */
export async function makeContract(
  by: Person,
  clientId: number,
  options: { total?: string; signed?: boolean } = {},
): Promise<number> {
  const args = ["contract", "create", "--client", String(clientId), "--total", options.total ?? "1000", "--json"];
  const { id } = await ok<{ id: number }>(by.cli(args));
  if (options.signed !== false) await ok(by.cli(["contract", "sign", String(id), "--json"]));
  return id;
}

/** An event of the signed `contractId` (June 2027, Paris, 75 attendees); `extra` adds flags; returns its id. */
export async function makeEvent(by: Person, contractId: number, extra: string[] = []): Promise<number> {
  const created = await ok<{ id: number }>(by.cli([
    "event",
    "create",
    "--contract",
    String(contractId),
    "--name",
    "Launch party",
    "--client-contact",
    "Kate",
    "--start-date",
    "2027-06-04T11:00:00Z",
    "--end-date",
    "2027-06-04T20:00:00Z",
    "--location",
    "Paris",
    "--attendees",
    "75",
    ...extra,
    "--json",
  ]));
  return created.id;
}
