/**
 * The French catalog: every namespace's messages. Each namespace has its own file,
 * so that work on one never touches another's.
 * @module
 */
import type { Catalog } from "../../catalog.ts";
import { MESSAGES as cli } from "./cli.ts";
import { MESSAGES as errors } from "./errors.ts";
import { MESSAGES as tables } from "./tables.ts";
import { MESSAGES as dayone } from "./dayone.ts";
import { MESSAGES as ops } from "./ops.ts";

/** Every message, by key. */
export const CATALOG: Catalog = { ...cli, ...errors, ...tables, ...dayone, ...ops };
