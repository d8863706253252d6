/**
 * A constraint violation reported by either driver, normalised so that the
 * services can turn it into a user-facing error without knowing the dialect.
 * @module
 */

/** Which kind of constraint the database refused. */
export type ConstraintKind = "unique" | "check" | "foreign_key" | "not_null";

/** A constraint violation raised by an adapter. */
export class ConstraintViolation extends Error {
  /** The kind of constraint. */
  readonly kind: ConstraintKind;
  /** The driver's text (names the table/column or the constraint). */
  readonly detail: string;

  constructor(kind: ConstraintKind, detail: string, cause: unknown) {
    super(`${kind} constraint violated: ${detail}`, { cause });
    this.name = "ConstraintViolation";
    this.kind = kind;
    this.detail = detail;
  }
}
