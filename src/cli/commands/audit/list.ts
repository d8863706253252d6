/** `epic-events audit list [--entity NAME] [--id ID] [--actor USER_ID] [--since DATE]` (MANAGEMENT). @module */
import { type Deps, TABLE_ENV, text, type VerbInput, type VerbSpec } from "../../command.ts";
import { AUDIT_LIST } from "../../entities/audit.ts";
import { LIST_FLAGS, type ListOptions, parseList, printList } from "../../list.ts";
import { optionalFlag, readChoice, readDate, valueOf } from "../../values.ts";

/** Entities of the audit trail. */
export const AUDIT_ENTITIES = ["user", "client", "contract", "event"] as const;

/** Options of `audit list`. */
export interface AuditListOptions extends ListOptions {
  entity?: string;
  entityId?: number;
  actorId?: number;
  /** As typed: read in the local zone when run. */
  since?: string;
}

/** What `audit list --help` shows. */
export const spec: VerbSpec = {
  name: "list",
  summary: "list audit entries, oldest first (MANAGEMENT; filters combine)",
  flags: [
    { flag: "--entity", arg: "name", help: `only entries about ${AUDIT_ENTITIES.join(", ")} (any case)` },
    { flag: "--id", arg: "id", help: "only entries about the entity with this id" },
    { flag: "--actor", arg: "user_id", help: "only what this collaborator did" },
    { flag: "--since", arg: "date", help: "only entries on or after this date (local time unless it has a zone)" },
    ...LIST_FLAGS,
  ],
  examples: ["audit list --entity contract --id 7", "audit list --actor 2 --since 2027-06-01"],
  env: TABLE_ENV,
};

/** Reads the flags of `audit list`. */
export function parse(input: VerbInput): AuditListOptions {
  const entity = text(input, "--entity");
  return {
    ...parseList(input),
    entity: entity === undefined
      ? undefined
      : valueOf<string>(readChoice(entity, AUDIT_ENTITIES), "--entity", "entity"),
    entityId: optionalFlag<number>(text(input, "--id"), "id", { flag: "--id", field: "id" }),
    actorId: optionalFlag<number>(text(input, "--actor"), "id", { flag: "--actor", field: "actor" }),
    since: text(input, "--since"),
  };
}

/** Prints the audit entries asked for, changes in public units. */
export async function run(options: AuditListOptions, deps: Deps): Promise<void> {
  const since = options.since === undefined
    ? undefined
    : valueOf<string>(readDate(options.since, deps.clock.timeZone), "--since", "since");
  const { entity, entityId, actorId } = options;
  await printList(
    deps,
    AUDIT_LIST,
    options,
    (page) => deps.crm.listAudit({ entity, entityId, actorId, since, ...page }),
  );
}
