/**
 * Dry runs of use cases: the use case runs for real inside one transaction
 * that is then rolled back. Every check it makes (existence, permission,
 * dependents, the database's own constraints) runs exactly as in the real
 * action, so a terminal can ask "Delete …?" only when the delete would
 * succeed, without a second copy of the rules that could drift from them.
 * Business events are not reported and audit entries vanish with the
 * rollback: a dry run leaves no trace.
 * @module
 */
import type { Database, Queryable } from "../db/database.ts";
import { NULL_REPORTER, type ServiceContext } from "./context.ts";

/** Carries the result out of the transaction that must not commit. */
class RolledBack<T> extends Error {
  constructor(readonly result: T) {
    super("dry run: rolled back");
  }
}

/**
 * `db` seen from inside the open transaction `tx`: statements run on `tx`, and
 * a nested `transaction()` joins it instead of opening another one (a dry
 * run, and an import whose rows update records with the update use cases).
 */
export function joined(db: Database, tx: Queryable): Database {
  return new Proxy(db, {
    get(target, property) {
      if (property === "transaction") {
        return <T>(fn: (inner: Queryable) => Promise<T>): Promise<T> => fn(tx);
      }
      const source: object = property in tx ? tx : target;
      const value = Reflect.get(source, property);
      return typeof value === "function" ? value.bind(source) : value;
    },
  });
}

/**
 * Runs `action` with every change rolled back, and returns what it returned
 * (or throws what it threw: a refused action is refused the same way).
 */
export async function dryRun<T>(ctx: ServiceContext, action: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  try {
    await ctx.db.transaction(async (tx) => {
      throw new RolledBack(await action({ ...ctx, db: joined(ctx.db, tx), reporter: NULL_REPORTER }));
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.result as T;
    throw error;
  }
  throw new Error("dry run: the transaction did not roll back"); // i18n-ignore: a bug of the program
}

/** Runs `action`, or with `dry` its dry run (see {@link dryRun}). */
export async function dryRunIf<T>(
  ctx: ServiceContext,
  dry: boolean | undefined,
  action: (ctx: ServiceContext) => Promise<T>,
): Promise<T> {
  return dry ? await dryRun(ctx, action) : await action(ctx);
}
