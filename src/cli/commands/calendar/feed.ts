/**
 * `epic-events calendar url` and `calendar reset` (server mode): the private
 * address of the caller's calendar feed, to subscribe to from Google
 * Calendar, Outlook or Thunderbird. The key is shown once (the server keeps
 * only its hash); `reset` replaces it and the old address answers 404.
 * @module
 */
import { InvalidInputError } from "../../../domain/errors.ts";
import { t } from "../../../i18n/mod.ts";
import type { AnswerOf } from "../../../port/crm.ts";
import { jsonText } from "../../output/formats.ts";
import type { Deps, Verb } from "../../verbs/verb.ts";

/** Options of `calendar url|reset`. */
export interface FeedOptions {
  json: boolean;
}

/** The feed's address on `server` for `key`. */
export function feedUrl(server: string, key: string): string {
  return `${server.replace(/\/$/, "")}/api/v1/calendar.ics?feed=${encodeURIComponent(key)}`;
}

async function runFeed(verb: "url" | "reset", options: FeedOptions, deps: Deps): Promise<void> {
  const server = deps.servers?.current();
  if (server === undefined) {
    throw new InvalidInputError(t("dayone.calendar.local", { verb }));
  }
  const key: AnswerOf<"calendarUrl"> = await deps.crm.call(verb === "url" ? "calendarUrl" : "calendarReset", {});
  const url = feedUrl(server, key.key);
  if (options.json) {
    deps.io.writeOut(jsonText({ url, created_at: key.created_at, replaced: key.replaced }));
    return;
  }
  deps.io.writeOut(`${url}\n`);
  const advice = t("dayone.calendar.advice");
  deps.io.writeErr(`${key.replaced ? `${t("dayone.calendar.replaced")} ${advice}` : advice}
`);
}

/** `calendar url` and `calendar reset`. */
export function feedVerb(verb: "url" | "reset"): Verb<FeedOptions> {
  return {
    spec: verb === "url"
      ? {
        name: "url",
        summary: t("dayone.calendar.url"),
        flags: [],
        examples: ["calendar url", "calendar url --json"], // i18n-ignore: command lines
        env: ["EPIC_EVENTS_SERVER", "EPIC_EVENTS_TOKEN", "EPIC_EVENTS_CONFIG_DIR"],
      }
      : {
        name: "reset",
        summary: t("dayone.calendar.reset"),
        flags: [],
        examples: ["calendar reset"], // i18n-ignore: command lines
        env: ["EPIC_EVENTS_SERVER", "EPIC_EVENTS_TOKEN", "EPIC_EVENTS_CONFIG_DIR"],
      },
    parse: (input) => ({ json: input.json === true }),
    run: (options, deps) => runFeed(verb, options, deps),
  };
}
