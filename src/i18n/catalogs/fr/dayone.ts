/** Messages of the `dayone` namespace, in French: `import`, `report`, `calendar` (issue 19). @module */
import type { Catalog } from "../../catalog.ts";

/** The `dayone.*` messages. */
export const MESSAGES = {
  "dayone.noun.import": "importer des clients, contrats ou événements d’un fichier CSV ou JSON Lines, tout ou rien",
  "dayone.noun.report": "l’activité d’un coup d’œil\u00a0: pipeline, chiffre d’affaires, événements, charge",
  "dayone.noun.calendar": "suivre vos événements depuis une application d’agenda (mode serveur)",

  "dayone.entity.clients": "clients",
  "dayone.entity.contracts": "contrats",
  "dayone.entity.events": "événements",
  "dayone.import.summary":
    "importer des {what} d’un fichier CSV ou JSON Lines, tout ou rien (--format csv|jsonl, sinon d’après l’extension)",
  "dayone.import.arg_file": "le fichier (.csv, .jsonl), ou - pour l’entrée standard",
  "dayone.import.flag_dry_run": "vérifier chaque ligne sans rien changer",
  "dayone.import.flag_on_conflict":
    "un enregistrement qui existe déjà\u00a0: échouer (par défaut), l’ignorer (skip) ou le mettre à jour (update)",
  "dayone.import.format_unknown": "--format\u00a0: un fichier d’import est csv ou jsonl, pas {format}",
  "dayone.import.format_stdin": "--format\u00a0: indiquez csv ou jsonl pour lire l’entrée standard",
  "dayone.import.format_guess":
    "--format\u00a0: impossible de déduire le format de {file} de son nom (.csv, .jsonl)\u00a0; indiquez --format csv ou jsonl",
  "dayone.import.on_conflict": "--on-conflict\u00a0: doit valoir fail, skip ou update",
  "dayone.import.not_a_file": "file\u00a0: {file} n’est pas un fichier",
  "dayone.import.cannot_read": "file\u00a0: impossible de lire {file}\u00a0: {why}",
  "dayone.import.no_such_file": "fichier introuvable",
  "dayone.import.permission_denied": "permission refusée",
  "dayone.import.progress": "Import des {what}",
  "dayone.import.done": "{what} importés\u00a0: {created} créés, {updated} mis à jour, {skipped} ignorés.",
  "dayone.import.dry_run":
    "Essai, rien n’a été écrit\u00a0: {what}\u00a0: {created} seraient créés, {updated} mis à jour, {skipped} ignorés.",
  "dayone.import.line": "ligne {line}\u00a0: {message}",
  "dayone.import.more_errors_one": "… et {count} autre erreur de ligne",
  "dayone.import.more_errors_many": "… et {count} autres erreurs de ligne",
  "dayone.import.more_errors_other": "… et {count} autres erreurs de ligne",
  "dayone.import.failed_one": "{file}\u00a0: {count} erreur de ligne\u00a0; rien n’a été écrit",
  "dayone.import.failed_many": "{file}\u00a0: {count} erreurs de ligne\u00a0; rien n’a été écrit",
  "dayone.import.failed_other": "{file}\u00a0: {count} erreurs de ligne\u00a0; rien n’a été écrit",

  "dayone.report.pipeline":
    "contrats par état (non signé, signé non payé, payé) par commercial\u00a0: nombre, total, reste dû",
  "dayone.report.revenue":
    "totaux signés par mois (--from, --to\u00a0: des mois comme 2026-01\u00a0; par défaut les 12 derniers mois)",
  "dayone.report.events": "événements par mois, leurs participants, et ceux à venir sans support (--from, --to)",
  "dayone.report.workload": "par contact support\u00a0: événements et participants à venir dans les 30 et 90 jours",
  "dayone.report.flag_from": "premier mois, par ex. 2026-01 (ou une date\u00a0: son mois)",
  "dayone.report.flag_to": "dernier mois, inclus (ou une date\u00a0: son mois)",
  "dayone.report.col.sales_contact": "COMMERCIAL",
  "dayone.report.col.state": "ÉTAT",
  "dayone.report.col.contracts": "CONTRATS",
  "dayone.report.col.total": "TOTAL",
  "dayone.report.col.due": "RESTE DÛ",
  "dayone.report.col.month": "MOIS",
  "dayone.report.col.signed": "SIGNÉ",
  "dayone.report.col.events": "ÉVÉNEMENTS",
  "dayone.report.col.attendees": "PARTICIPANTS",
  "dayone.report.col.upcoming_unassigned": "À VENIR SANS SUPPORT",
  "dayone.report.col.support_contact": "CONTACT SUPPORT",
  "dayone.report.col.events_30d": "ÉVÉNEMENTS 30 J",
  "dayone.report.col.attendees_30d": "PARTICIPANTS 30 J",
  "dayone.report.col.events_90d": "ÉVÉNEMENTS 90 J",
  "dayone.report.col.attendees_90d": "PARTICIPANTS 90 J",
  "dayone.report.state.unsigned": "non signé",
  "dayone.report.state.signed_unpaid": "signé, non payé",
  "dayone.report.state.paid": "payé",

  "dayone.calendar.url": "afficher l’adresse privée de votre agenda (mode serveur\u00a0; affichée une seule fois)",
  "dayone.calendar.reset": "remplacer l’adresse de votre agenda (l’ancienne répond 404 dès lors)",
  "dayone.calendar.local":
    "calendar {verb}\u00a0: l’agenda est servi par epic-events serve, et cette CLI travaille sur une base locale\u00a0; " +
    "connectez-vous avec --server URL, ou exportez un fichier avec `epic-events event list --mine --upcoming --format ics`",
  "dayone.calendar.replaced": "L’ancienne adresse ne fonctionne plus.",
  "dayone.calendar.advice":
    "Abonnez-vous à cette adresse depuis votre application d’agenda («\u00a0À partir d’une URL\u00a0», «\u00a0S’abonner\u00a0»). " +
    "Gardez-la privée\u00a0: elle ouvre vos événements à quiconque la détient. Elle n’est affichée qu’une fois\u00a0; " +
    "`epic-events calendar reset` la remplace.",
  "dayone.event.ics_json": "--format\u00a0: --json veut dire --format json, pas ics\u00a0; donnez l’un des deux",
  "dayone.calendar.name": "Epic Events",
  "dayone.calendar.client": "Client",
  "dayone.calendar.contact": "Contact",
} as const satisfies Catalog;
