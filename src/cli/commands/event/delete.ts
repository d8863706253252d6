/** `epic-events event delete ID [--yes]`. @module */
import type { AnswerOf } from "../../../port/crm.ts";
import type { DeleteOptions } from "../../verbs/delete.ts";
import { deleteVerb } from "../../verbs/standard.ts";

/** `event delete`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = deleteVerb<DeleteOptions, AnswerOf<"deleteEvent">>({
  noun: "event",
  summary: "cli.event.delete.summary",
  flags: [],
  examples: "cli.event.delete.examples",
  options: (_input, base) => base,
  remove: (crm, o, dryRun) => crm.call("deleteEvent", { id: o.id, dry_run: dryRun }),
});
