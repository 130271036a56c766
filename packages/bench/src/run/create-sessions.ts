import type { Tokenizer } from "../tokenizer/types.js";
import { shareGptSessions } from "../workload/sharegpt-sessions.js";
import { syntheticSessions } from "../workload/synthetic-sessions.js";
import type { Workload } from "../workload/types.js";
import type { ResolvedBenchOptions } from "./bench-options.js";
import { checkSessionContext } from "./session-options.js";

/**
 * The multi-turn workload of a run: ShareGPT conversations with `--dataset`, else synthetic sessions (refused
 * when their last turn could exceed the context length the server reports). Think times are the simulated
 * engine's under a time scale, so they last `1 / timeScale` as long on the wall clock.
 */
export async function createSessions(
  o: ResolvedBenchOptions,
  tokenizer: Tokenizer,
  server: { timeScale: number; contextLength?: number },
): Promise<Workload> {
  const common = {
    tokenizer,
    thinkTimeMs: o.thinkTimeMs,
    thinkTime: o.thinkTime,
    wallClockPerMs: 1 / server.timeScale,
  };
  if (o.dataset !== undefined) {
    return shareGptSessions({
      ...common,
      path: o.dataset,
      seed: o.seed,
      ...(o.osl > 0 ? { osl: o.osl } : {}),
      ...(o.turns !== undefined ? { turns: o.turns } : {}),
      ...(server.contextLength !== undefined ? { maxContext: server.contextLength } : {}),
    });
  }
  const turns = o.turns!;
  if (server.contextLength !== undefined)
    checkSessionContext({ ...o, turns }, server.contextLength);
  return syntheticSessions({
    ...common,
    isl: o.isl,
    osl: o.osl,
    turns,
    rangeRatio: o.rangeRatio,
    prefixLength: o.prefixLength,
    seed: o.seed,
  });
}
