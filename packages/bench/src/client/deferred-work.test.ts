import { describe, expect, it } from "vitest";
import { DEFERRED_BUDGET_MS, deferWork } from "./deferred-work.js";

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {}
};

describe("deferWork", () => {
  it("runs jobs in order after the current callback, yielding to the loop past the budget", async () => {
    // a ticker counts loop turns (check phases) while the jobs run
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const ran: { job: number; turn: number }[] = [];
    const jobMs = DEFERRED_BUDGET_MS * 0.4;
    await new Promise<void>((resolve) => {
      for (let job = 0; job < 10; job++) {
        deferWork(() => {
          busy(jobMs);
          ran.push({ job, turn });
          if (job === 9) resolve();
        });
      }
      expect(ran).toEqual([]); // nothing runs inside the caller's callback
    });
    ticking = false;
    expect(ran.map((r) => r.job)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // each job takes 0.4 x budget: at most 3 run in one turn, so 10 jobs span at least 4 turns
    const perTurn = new Map<number, number>();
    for (const r of ran) perTurn.set(r.turn, (perTurn.get(r.turn) ?? 0) + 1);
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(3);
    expect(perTurn.size).toBeGreaterThanOrEqual(4);
  });
});
