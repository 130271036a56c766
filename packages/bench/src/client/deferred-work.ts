/**
 * Longest stretch (ms) of deferred work run in one turn before the event loop gets to poll (and
 * stamp) the reads that arrived meanwhile.
 */
export const DEFERRED_BUDGET_MS = 0.5;

const queue: ((() => void) | undefined)[] = [];
let head = 0;
let scheduled = false;

/**
 * Runs `job` after the current poll phase, in first-in first-out order with every other deferred
 * job of this thread, at most about DEFERRED_BUDGET_MS at a time: past the budget the rest waits
 * for the next loop turn, so reads that arrive while parsing piles up (many streams whose events
 * come in the same millisecond, as from one batched decode step) are stamped within about the
 * budget instead of after all of it.
 * @example deferWork(() => recorder.flush());
 */
export function deferWork(job: () => void): void {
  queue.push(job);
  if (!scheduled) {
    scheduled = true;
    setImmediate(runDeferred);
  }
}

function runDeferred(): void {
  scheduled = false;
  const start = performance.now();
  try {
    while (head < queue.length) {
      const job = queue[head]!;
      queue[head++] = undefined;
      job();
      if (performance.now() - start > DEFERRED_BUDGET_MS) break;
    }
  } finally {
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    } else {
      if (head > 4096) {
        queue.splice(0, head);
        head = 0;
      }
      scheduled = true;
      setImmediate(runDeferred);
    }
  }
}
