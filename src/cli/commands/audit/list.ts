/** `epic-events audit list [--entity NAME] [--id ID] [--actor USER_ID] [--since DATE]` (MANAGEMENT): its filters are the contract's (`listAudit`). @module */
import { AUDIT } from "../../entities/audit.ts";
import { listVerb, type ListVerbOptions } from "../../verbs/standard.ts";

/** Options of `audit list`. */
export type AuditListOptions = ListVerbOptions<"listAudit">;

/** `audit list`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = listVerb(AUDIT, "listAudit", {
  summary: "cli.audit.list.summary",
  examples: "cli.audit.list.examples",
});
