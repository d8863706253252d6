/**
 * A gate in front of a connection pool: at most `size` operations are in
 * the pool at once, the others wait in line here, each until its own
 * deadline. postgres.js queues what it cannot run behind whichever
 * connection is being opened, so that with the server down a request waits
 * for one connection attempt after another; a wait here ends at its own
 * deadline, however many are waiting.
 * @module
 */

import { type Deadlines, deadlines } from "../domain/deadlines.ts";

/** One waiting operation. */
interface Waiter {
  admit(): void;
}

/** Places in a pool, given in arrival order. */
export class PoolGate {
  readonly #size: number;
  #free: number;
  #line: Waiter[] = [];
  #open = false;
  #deadlines: Deadlines;

  /** A gate of `size` places; waits end at their deadline within `deadlines`' sweep (100 ms by default). */
  constructor(size: number, waits: Deadlines = deadlines(100)) {
    this.#size = size;
    this.#free = size;
    this.#deadlines = waits;
  }

  /**
   * Waits for a place until `deadline` (a `performance.now()` time): resolves
   * with the function that gives the place back (once; later calls do
   * nothing), or rejects with `late()` at the deadline.
   */
  enter(deadline: number, late: () => Error): Promise<() => void> {
    if (this.#open) return Promise.resolve(() => {});
    if (this.#free > 0 && this.#line.length === 0) {
      this.#free--;
      return Promise.resolve(this.#leaver());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          unwatch();
          resolve(this.#leaver());
        },
      };
      const unwatch = this.#deadlines.watch(deadline, () => {
        const index = this.#line.indexOf(waiter);
        if (index >= 0) this.#line.splice(index, 1);
        reject(late());
      });
      this.#line.push(waiter);
    });
  }

  /** Places taken now. */
  get inUse(): number {
    return this.#size - this.#free;
  }

  /** Operations waiting for a place. */
  get waiting(): number {
    return this.#line.length;
  }

  /** Lets every waiting and later operation through (the pool is closing: they fail there at once). */
  open(): void {
    this.#open = true;
    for (const waiter of this.#line.splice(0)) waiter.admit();
  }

  #leaver(): () => void {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.#line.shift();
      // The place goes straight to the next in line (it stays taken).
      if (next) next.admit();
      else this.#free++;
    };
  }
}
