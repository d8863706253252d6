/** Messages of the `dayone` namespace, in English: `import`, `report`, `calendar` (issue 19). @module */
import type { Catalog } from "../../catalog.ts";

/** The `dayone.*` messages. */
export const MESSAGES = {
  "dayone.noun.import": "import clients, contracts or events from a CSV or JSON Lines file, all or nothing",
  "dayone.noun.report": "the business at a glance: pipeline, revenue, events, workload",
  "dayone.noun.calendar": "subscribe to your events from a calendar application (server mode)",

  "dayone.entity.clients": "clients",
  "dayone.entity.contracts": "contracts",
  "dayone.entity.events": "events",
  "dayone.import.summary":
    "import {what} from a CSV or JSON Lines file, all or nothing (--format csv|jsonl, else from the file's extension)",
  "dayone.import.arg_file": "the file (.csv, .jsonl), or - for standard input",
  "dayone.import.flag_dry_run": "check every line and change nothing",
  "dayone.import.flag_on_conflict": "a record that exists already: fail (default), skip it, or update it",
  "dayone.import.format_unknown": "--format: an import file is csv or jsonl, not {format}",
  "dayone.import.format_stdin": "--format: give csv or jsonl to read standard input",
  "dayone.import.format_guess":
    "--format: cannot tell the format of {file} from its name (.csv, .jsonl): give --format csv or jsonl",
  "dayone.import.on_conflict": "--on-conflict: must be one of fail, skip, update",
  "dayone.import.not_a_file": "file: {file} is not a file",
  "dayone.import.cannot_read": "file: cannot read {file}: {why}",
  "dayone.import.no_such_file": "no such file",
  "dayone.import.permission_denied": "permission denied",
  "dayone.import.progress": "Importing {what}",
  "dayone.import.done": "Imported {what}: {created} created, {updated} updated, {skipped} skipped.",
  "dayone.import.dry_run":
    "Dry run, nothing written: {what}: {created} would be created, {updated} updated, {skipped} skipped.",
  "dayone.import.line": "line {line}: {message}",
  "dayone.import.more_errors_one": "… and {count} more line error",
  "dayone.import.more_errors_other": "… and {count} more line errors",
  "dayone.import.failed_one": "{file}: {count} line error; nothing was written",
  "dayone.import.failed_other": "{file}: {count} line errors; nothing was written",

  "dayone.report.pipeline":
    "contracts by state (unsigned, signed and unpaid, paid) per sales contact: count, total, due",
  "dayone.report.revenue": "signed totals per month (--from, --to: months such as 2026-01; default the last 12 months)",
  "dayone.report.events": "events per month, their attendees, and those upcoming without support (--from, --to)",
  "dayone.report.workload": "per support contact: upcoming events and attendees in the next 30 and 90 days",
  "dayone.report.flag_from": "first month, e.g. 2026-01 (or a date: its month)",
  "dayone.report.flag_to": "last month, included (or a date: its month)",
  "dayone.report.col.sales_contact": "SALES CONTACT",
  "dayone.report.col.state": "STATE",
  "dayone.report.col.contracts": "CONTRACTS",
  "dayone.report.col.total": "TOTAL",
  "dayone.report.col.due": "DUE",
  "dayone.report.col.month": "MONTH",
  "dayone.report.col.signed": "SIGNED",
  "dayone.report.col.events": "EVENTS",
  "dayone.report.col.attendees": "ATTENDEES",
  "dayone.report.col.upcoming_unassigned": "UPCOMING UNASSIGNED",
  "dayone.report.col.support_contact": "SUPPORT CONTACT",
  "dayone.report.col.events_30d": "EVENTS 30D",
  "dayone.report.col.attendees_30d": "ATTENDEES 30D",
  "dayone.report.col.events_90d": "EVENTS 90D",
  "dayone.report.col.attendees_90d": "ATTENDEES 90D",
  "dayone.report.state.unsigned": "unsigned",
  "dayone.report.state.signed_unpaid": "signed, unpaid",
  "dayone.report.state.paid": "paid",

  "dayone.calendar.url": "print the private address of your calendar feed (server mode; shown once)",
  "dayone.calendar.reset": "replace your calendar feed's address (the old one answers 404 from then on)",
  "dayone.calendar.local":
    "calendar {verb}: a calendar feed is served by epic-events serve, and this CLI works on a local database; " +
    "log in with --server URL, or export a file with `epic-events event list --mine --upcoming --format ics`",
  "dayone.calendar.replaced": "The old address no longer works.",
  "dayone.calendar.advice":
    "Subscribe to this address from your calendar application (“From URL”, “Subscribe to calendar”). " +
    "Keep it private: it opens your events to anyone who has it. It is shown only now; " +
    "`epic-events calendar reset` replaces it.",
  "dayone.event.ics_json": "--format: --json means --format json, not ics: give one of them",
  "dayone.calendar.name": "Epic Events",
  "dayone.calendar.client": "Client",
  "dayone.calendar.contact": "Contact",
} as const satisfies Catalog;
