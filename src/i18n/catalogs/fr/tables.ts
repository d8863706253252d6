/** Messages of the `tables` namespace, in French. @module */
import type { Catalog } from "../../catalog.ts";

/** The `tables.*` messages. */
export const MESSAGES = {
  "tables.role.MANAGEMENT": "Gestion",
  "tables.role.SALES": "Commercial",
  "tables.role.SUPPORT": "Support",
  "tables.noResults": "Aucun résultat.",
  "tables.morePage": "Lignes {first} à {last} ; il y en a d’autres : --offset {last} affiche la page suivante.",
  "tables.morePageDefault":
    "Lignes {first} à {last} ; il y en a d’autres : --offset {last} affiche la page suivante (ou --limit N pour plus de {page} lignes par page).",
  "tables.hidden_one":
    "1 colonne masquée pour tenir en {width} colonnes : {names} (--wide affiche toutes les colonnes).",
  "tables.hidden_other":
    "{count} colonnes masquées pour tenir en {width} colonnes : {names} (--wide affiche toutes les colonnes).",
  "tables.wideHelp":
    "tableaux aussi larges que leur contenu : aucun texte raccourci, aucune colonne masquée (par défaut : à la largeur du terminal)",
} as const satisfies Catalog;
