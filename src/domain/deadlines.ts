/**
 * Deadlines kept by one timer: instead of a `setTimeout` set and cleared per
 * operation (in Deno 2.9 a Node `Timeout` object, ~5 µs each way, on every
 * request and every statement of a busy server), the operations watched are
 * swept every `everyMs` while there are some. Each one's `late` is called
 * within `everyMs` after its deadline (a `performance.now()` time), unless it
 * was unwatched before.
 * @module
 */

/** Deadlines swept together. */
export interface Deadlines {
  /** Calls `late` (once) at `deadline`; the function returned stops watching. */
  watch(deadline: number, late: () => void): () => void;
}

/** Deadlines checked every `everyMs`, by a timer that runs only while some are watched. */
export function deadlines(everyMs: number): Deadlines {
  const watched = new Set<{ deadline: number; late(): void }>();
  let sweeper: ReturnType<typeof setInterval> | undefined;
  const stopIfIdle = () => {
    if (watched.size > 0 || sweeper === undefined) return;
    clearInterval(sweeper);
    sweeper = undefined;
  };
  const sweep = () => {
    const now = performance.now();
    for (const entry of watched) {
      if (entry.deadline > now) continue;
      watched.delete(entry);
      entry.late();
    }
    stopIfIdle();
  };
  return {
    watch(deadline, late) {
      const entry = { deadline, late };
      watched.add(entry);
      sweeper ??= setInterval(sweep, everyMs);
      return () => {
        watched.delete(entry);
        stopIfIdle();
      };
    },
  };
}
