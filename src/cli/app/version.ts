/** The program's version, apart so that `--version` loads nothing else. @module */

/** The program's version (also Sentry's release). */
export const VERSION = "0.1.0";
