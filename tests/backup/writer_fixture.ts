/**
 * A separate process that keeps writing while a backup is taken: each
 * transaction adds a client with a contract and an event, and every third
 * one deletes the oldest such chain (children first). Prints `ready` after
 * its first commit, then `done <transactions>` once `stopFile` exists.
 *
 * Usage: deno run -A writer_fixture.ts DATABASE_URL SALES_ID STOP_FILE
 * @module
 */
import { connect } from "../../src/db/connect.ts";
import { parseDatabaseUrl } from "../../src/config.ts";

const [url, salesId, stopFile] = Deno.args;
const db = await connect(parseDatabaseUrl(url, Deno.cwd(), Deno.cwd()));
const stamp = () => new Date().toISOString();
let transactions = 0;

function stopped(): boolean {
  try {
    Deno.statSync(stopFile);
    return true;
  } catch {
    return false;
  }
}

while (!stopped()) {
  const n = transactions++;
  await db.transaction(async (tx) => {
    const client = await tx.one<{ id: number }>(
      `INSERT INTO clients (full_name, email, phone, company_name, sales_contact_id, created_at, last_updated)
       VALUES ($1, $2, '0102030405', 'Busy Co', $3, $4, $4) RETURNING id`,
      [`Busy ${n}`, `busy-${n}-${crypto.randomUUID()}@writer.test`, Number(salesId), stamp()],
    );
    const contract = await tx.one<{ id: number }>(
      `INSERT INTO contracts (client_id, sales_contact_id, total_amount_cents, amount_due_cents, created_at, signed_status)
       VALUES ($1, $2, 1000, 500, $3, TRUE) RETURNING id`,
      [client!.id, Number(salesId), stamp()],
    );
    await tx.execute(
      `INSERT INTO events (name, contract_id, client_id, client_contact, start_date, end_date, location, attendees)
       VALUES ('Busy', $1, $2, 'Kate', '2030-01-01T10:00:00.000Z', '2030-01-01T12:00:00.000Z', 'Lyon', 10)`,
      [contract!.id, client!.id],
    );
    if (n % 3 === 2) {
      const oldest = await tx.one<{ id: number }>(
        "SELECT MIN(client_id) AS id FROM events WHERE client_contact = 'Kate' AND location = 'Lyon'",
      );
      await tx.execute("DELETE FROM events WHERE client_id = $1", [oldest!.id]);
      await tx.execute("DELETE FROM contracts WHERE client_id = $1", [oldest!.id]);
      await tx.execute("DELETE FROM clients WHERE id = $1", [oldest!.id]);
    }
  });
  if (transactions === 1) console.log("ready");
}
console.log(`done ${transactions}`);
await db.close();
