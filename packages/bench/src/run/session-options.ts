import { workloadContextLength } from "@infermark/core";
import { BenchOptionError } from "../errors.js";
import type { BenchOptions } from "./bench-options.js";

/**
 * The multi-turn workload's own checks: its flags only with it, and text (the history holds the server's replies).
 * Sessions run in a closed loop (`--concurrency` sessions at once) or arrive at `--rate` sessions per second.
 */
export function checkSessionOptions(o: BenchOptions, workload: string): void {
  if (workload !== "multi-turn") {
    for (const [flag, value] of [
      ["--turns", o.turns],
      ["--think-time", o.thinkTimeMs],
      ["--think-time-dist", o.thinkTime],
    ] as const) {
      if (value !== undefined)
        throw new BenchOptionError(
          `${flag} applies to --workload multi-turn only, not ${workload}`,
        );
    }
    return;
  }
  if (o.tokenIds)
    throw new BenchOptionError(
      "--token-ids: the multi-turn workload sends text (its history holds replies)",
    );
  if (o.turns !== undefined && !(Number.isInteger(o.turns) && o.turns > 0))
    throw new BenchOptionError(`--turns expects a positive integer, got ${o.turns}`);
  if (o.thinkTimeMs !== undefined && !(Number.isFinite(o.thinkTimeMs) && o.thinkTimeMs >= 0))
    throw new BenchOptionError(`--think-time expects milliseconds >= 0, got ${o.thinkTimeMs}`);
  if (o.thinkTime !== undefined && o.thinkTime !== "fixed" && o.thinkTime !== "exponential")
    throw new BenchOptionError(
      `--think-time-dist expects fixed or exponential, got "${o.thinkTime}"`,
    );
}

/**
 * The context length the server reports for the model in its `/v1/models` list (`max_model_len`, as vLLM and
 * infermark's simulator give it): the entry named like the model, else the only entry.
 */
export function reportedContextLength(models: unknown, model: string): number | undefined {
  const data = (models as { data?: { id?: unknown; max_model_len?: unknown }[] } | undefined)?.data;
  if (!Array.isArray(data)) return undefined;
  const entry = data.find((d) => d?.id === model) ?? (data.length === 1 ? data[0] : undefined);
  const n = entry?.max_model_len;
  return typeof n === "number" && n > 0 ? n : undefined;
}

/**
 * Refuses synthetic sessions whose last turn could not fit the model's context: its prompt holds the system
 * prompt, every user turn and every earlier reply, and it asks for one more reply, so up to
 * `prefixLength + turns x (isl + osl)` tokens (by the run's tokenizer; a chat template adds a few per message).
 */
export function checkSessionContext(
  o: { prefixLength: number; turns: number; isl: number; osl: number },
  contextLength: number,
): void {
  const need = workloadContextLength({ kind: "session", ...o });
  if (need <= contextLength) return;
  throw new BenchOptionError(
    `--workload multi-turn: the last turn can need ${need} tokens (--prefix-length ${o.prefixLength} + --turns ${o.turns} x (--isl ${o.isl} + --osl ${o.osl})), over the model's context length ${contextLength} (max_model_len in /v1/models); lower --turns, --isl or --osl`,
  );
}
