/**
 * Rows that can also be read a batch at a time. A list is an async iterable
 * of rows, from the database's cursor to the output; each row read through
 * an async generator costs a promise and a turn of the microtask queue at
 * every stage (the cursor, the record mapping, the writer). A stream whose
 * rows arrive in batches anyway (PostgreSQL's cursor, a page read in one
 * query) offers them as such under {@link BATCHES}: a reader that knows
 * (`batchesOf`) takes a batch per step, any other reads row by row as before.
 * @module
 */

/** The key of a {@link Batched} stream's batch iterator. */
export const BATCHES: unique symbol = Symbol("batches");

/** An async iterable of rows that can also be read a batch at a time. */
export interface Batched<T> extends AsyncIterable<T> {
  /** The same rows, in the same order, a batch (never empty) at a time; ending early ends the stream. */
  [BATCHES](): AsyncIterator<readonly T[], void, undefined>;
}

/** Whether `rows` can be read a batch at a time. */
export function isBatched<T>(rows: AsyncIterable<T>): rows is Batched<T> {
  return BATCHES in rows;
}

/** A stream made from its batches: row by row for any reader, batch by batch for one that asks. */
export function batched<T>(batches: () => AsyncGenerator<readonly T[], void, undefined>): Batched<T> {
  return {
    [BATCHES]: batches,
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches()) yield* batch;
    },
  };
}

/** `rows` a batch at a time: its own batches, or one row per batch when it has none. */
export function batchesOf<T>(rows: AsyncIterable<T>): AsyncIterator<readonly T[], void, undefined> {
  if (isBatched(rows)) return rows[BATCHES]();
  const iterator = rows[Symbol.asyncIterator]();
  return {
    async next() {
      const next = await iterator.next();
      return next.done ? { done: true, value: undefined } : { done: false, value: [next.value] };
    },
    async return() {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
  };
}
