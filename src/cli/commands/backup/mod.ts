/**
 * `epic-events backup create | list | verify | prune | restore`: operator
 * commands run where `DATABASE_URL` is, like `migrate` (no login; a backup
 * holds every password hash). They print paths and counts, never rows.
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import { NOUN_DESCRIPTIONS } from "../nouns.ts";
import { addVerb, type LoadDeps, type Verb } from "../../verbs/verb.ts";
import type { OperatorDeps } from "../../operator/deps.ts";
import { t } from "../../../i18n/mod.ts";
import * as create from "./create.ts";
import * as list from "./list.ts";
import * as prune from "./prune.ts";
import * as restore from "./restore.ts";
import * as verify from "./verify.ts";

/** Adds `backup` and its verbs to `program`. */
export function registerBackup(program: Command, deps: LoadDeps<OperatorDeps>): void {
  const backup = program.command("backup").description(t(NOUN_DESCRIPTIONS.backup));
  const verbs: Verb<unknown, OperatorDeps>[] = [create, list, verify, prune, restore];
  for (const verb of verbs) addVerb(backup, verb, deps);
}
