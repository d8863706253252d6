/** `epic-events audit list` (MANAGEMENT). @module */
import type { Command } from "@commander-js/extra-typings";
import { auditFilterSchema, parseInput } from "../../domain/schemas/mod.ts";
import { listAudit } from "../../services/audit.ts";
import { parseCount } from "../fields.ts";
import { printList } from "../output.ts";
import type { Runtime } from "../runtime.ts";
import { AUDIT_COLUMNS } from "../views.ts";

/** Registers `audit`. */
export function registerAudit(program: Command, rt: Runtime): void {
  const audit = program.command("audit").description("read the audit trail (MANAGEMENT)");
  audit.command("list").description("list audit entries, oldest first (filters combine)")
    .option("--entity <name>", "user, client, contract or event")
    .option("--id <id>", "the entity's id")
    .option("--actor <user_id>", "who acted")
    .option("--since <date>", "on or after this date/time")
    .option("--limit <n>", "at most N entries")
    .option("--offset <n>", "skip N entries")
    .action(async (opts) => {
      const ctx = await rt.context();
      const filter = parseInput(auditFilterSchema(ctx.timeZone), {
        entity: opts.entity,
        id: opts.id,
        actor: opts.actor,
        since: opts.since,
        limit: opts.limit,
      });
      const rows = await listAudit(ctx, {
        entity: filter.entity,
        entityId: filter.id,
        actorId: filter.actor,
        since: filter.since?.toISOString(),
        limit: filter.limit,
        offset: parseCount(opts.offset, "offset"),
      });
      await printList(rt.io, rt, rows, AUDIT_COLUMNS);
    });
}
