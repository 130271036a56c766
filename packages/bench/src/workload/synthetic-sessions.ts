import type { Tokenizer } from "../tokenizer/types.js";
import { randomWorkload } from "./random-workload.js";
import {
  type SessionScript,
  sessionSeed,
  sessionWorkload,
  type ThinkTimeKind,
} from "./session-workload.js";
import type { Workload } from "./types.js";

/** Options of the synthetic multi-turn workload. */
export interface SyntheticSessionOptions {
  /** New user tokens per turn. */
  isl: number;
  /** Output tokens asked for per turn. */
  osl: number;
  /** User turns per session. */
  turns: number;
  tokenizer: Tokenizer;
  /** Per-turn lengths uniform in [ratio x L, L] for input and output. @default 1 */
  rangeRatio?: number;
  /** Tokens of a system prompt shared by every session (sent before its first turn). @default 0 */
  prefixLength?: number;
  /** @default 0 */
  seed?: number;
  /** @default 0 */
  thinkTimeMs?: number;
  /** @default "fixed" */
  thinkTime?: ThinkTimeKind;
  /** Wall-clock ms per think-time ms (1 / the time scale). @default 1 */
  wallClockPerMs?: number;
}

/**
 * Synthetic sessions (vLLM's and SGLang's multi-turn benchmarks, AIPerf's synthetic conversations): each session
 * has `turns` user turns of random words fitted to the tokenizer like the random workload's prompts (unique per
 * session and turn), after an optional system prompt of `prefixLength` tokens shared by all sessions. The seed
 * fixes every session's texts, lengths and think times.
 * @example const w = await syntheticSessions({ isl: 128, osl: 64, turns: 5, tokenizer, thinkTimeMs: 1000 });
 */
export async function syntheticSessions(
  o: SyntheticSessionOptions,
): Promise<Workload & { prepare(count: number): Promise<void> }> {
  const seed = o.seed ?? 0;
  const rangeRatio = o.rangeRatio ?? 1;
  const prefixLength = o.prefixLength ?? 0;
  let system: string | undefined;
  if (prefixLength > 0) {
    const shared = randomWorkload({ isl: prefixLength, osl: 1, tokenizer: o.tokenizer, seed });
    system = String((await shared.next())?.prompt ?? "");
  }
  const script = async (index: number): Promise<SessionScript> => {
    const turns = randomWorkload({
      isl: o.isl,
      osl: o.osl,
      tokenizer: o.tokenizer,
      rangeRatio,
      seed: sessionSeed(seed, index),
    });
    await turns.prepare(o.turns);
    const out: SessionScript = { turns: [] };
    for (let t = 0; t < o.turns; t++) {
      const item = (await turns.next())!;
      out.turns.push({ user: String(item.prompt), maxTokens: item.maxTokens });
    }
    return out;
  };
  return sessionWorkload({
    info: {
      kind: "session",
      isl: o.isl,
      osl: o.osl,
      rangeRatio,
      prefixLength,
      seed,
      turns: o.turns,
    },
    ...(system !== undefined ? { system } : {}),
    script,
    thinkTimeMs: o.thinkTimeMs ?? 0,
    thinkTime: o.thinkTime ?? "fixed",
    wallClockPerMs: o.wallClockPerMs ?? 1,
    seed,
  });
}
