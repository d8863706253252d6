/** `epic-events audit list [--entity NAME] [--id ID] [--actor USER_ID] [--since DATE]` (MANAGEMENT). @module */
import type { AuditQuery } from "../../../port/crm.ts";
import { AUDIT } from "../../entities/audit.ts";
import { listVerb, type ListVerbOptions } from "../../verbs.ts";
import { AUDIT_ENTITIES } from "../../../domain/audit_entities.ts";

/** Options of `audit list`. */
export type AuditListOptions = ListVerbOptions<AuditQuery>;

/** `audit list`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = listVerb(AUDIT, {
  summary: "list audit entries, oldest first (MANAGEMENT; filters combine)",
  filters: [
    { flag: "--entity", key: "entity", arg: "name", choices: AUDIT_ENTITIES, help: "user, client, contract or event" },
    { flag: "--id", key: "entityId", arg: "id", kind: "id", field: "id", help: "only about the entity with this id" },
    { flag: "--actor", key: "actorId", arg: "user_id", kind: "id", field: "actor", help: "only what they did" },
    { flag: "--since", key: "since", arg: "date", kind: "date", help: "on or after this date (local time by default)" },
  ],
  fetch: (crm, query: AuditQuery) => crm.listAudit(query),
  examples: ["audit list --entity contract --id 7", "audit list --actor 2 --since 2027-06-01"],
});
