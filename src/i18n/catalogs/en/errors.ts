/**
 * Messages of the `errors` namespace, in English: those of the domain, where
 * errors get their English text (for the logs) as they are built.
 * @module
 */
import type { Catalog } from "../../catalog.ts";
import { ERROR_MESSAGES } from "../../../domain/error_messages.ts";

/** The `errors.*` messages. */
export const MESSAGES = ERROR_MESSAGES satisfies Catalog;
