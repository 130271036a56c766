import { existsSync } from "node:fs";
import type { Catalog } from "@infermark/core";
import { UsageError } from "../errors.js";
import { closeKeys } from "../sweep/close-keys.js";

/** What the simulator reads as a file rather than a catalog key, as `loadModel` and `loadGpu` tell them apart. */
const looksLikePath = (ref: string) => ref.includes("/") || /\.(json|ya?ml)$/i.test(ref);

/** A file's name: it ends in .json, .yaml or .yml (a Hugging Face id such as `org/model` does not). */
const looksLikeFile = (ref: string) => /\.(json|ya?ml)$/i.test(ref);

/**
 * `--model` or `--hardware` naming neither a catalog entry nor a file, as a flag error (exit 2) with the known entries
 * closest to it: a key the catalog lacks (`dsr2`, `DSR1`, `h20`), or a Hugging Face id (a path to the simulator) that
 * is neither a file nor a catalog model's id (`deepseek-ai/DeepSeek-R1`, where the catalog has `...-R1-0528`). Before,
 * the first listed every key without a hint, and the second said `cannot read (ENOENT ...)`, both with exit 1.
 * Undefined when `ref` is a catalog entry, a file, or a file's name (whose absence the file reader reports).
 * @example catalogRefError("--model", "dsr2", DEFAULT_CATALOG)?.message // "--model dsr2: unknown model (did you mean dsr1?); ..."
 */
export function catalogRefError(
  flag: "--model" | "--hardware",
  ref: string,
  catalog: Catalog,
): UsageError | undefined {
  const model = flag === "--model";
  const keys = Object.keys(model ? catalog.models : catalog.gpus);
  const ids = model ? Object.values(catalog.models).map((m) => m.hfId) : [];
  if (keys.includes(model ? ref : ref.toLowerCase()) || ids.includes(ref)) return undefined;
  if (looksLikePath(ref) && (looksLikeFile(ref) || existsSync(ref))) return undefined;
  const close = closeKeys(ref, [...keys, ...ids]);
  const hint = close.length ? ` (did you mean ${close.join(", ")}?)` : "";
  const what = model
    ? `a catalog model (${keys.join(", ")}), its Hugging Face id, or a config.json`
    : `a catalog GPU (${keys.join(", ")}) or a GPU spec file`;
  const why = looksLikePath(ref)
    ? `no such file, nor a catalog ${model ? "model's Hugging Face id" : "GPU"}`
    : `unknown ${model ? "model" : "GPU"}`;
  return new UsageError(`${flag} ${ref}: ${why}${hint}; give ${what}`);
}

/**
 * `--gpus` that the workers of an aggregated deployment (`--tp` x `--pp` GPUs each) cannot fill, as a flag error
 * (exit 2) naming the flags; before, the simulator's `gpus 8 is not a multiple of tp x pp = 3`, exit 1.
 * @example layoutFlagError({ gpus: 8, tp: 3 })?.message // "--gpus 8 is not a multiple of --tp 3: ..."
 */
export function layoutFlagError(f: {
  gpus?: number;
  tp?: number;
  pp?: number;
}): UsageError | undefined {
  if (f.gpus === undefined) return undefined;
  const perWorker = (f.tp ?? 1) * (f.pp ?? 1);
  if (f.gpus % perWorker === 0) return undefined;
  const parts = [f.tp && `--tp ${f.tp}`, f.pp && `--pp ${f.pp}`].filter(Boolean);
  const product = parts.length > 1 ? `${parts.join(" x ")} = ${perWorker}` : parts[0];
  return new UsageError(
    `--gpus ${f.gpus} is not a multiple of ${product}: each worker takes --tp x --pp GPUs; give a multiple of ${perWorker}, or another --tp/--pp`,
  );
}

/**
 * A `sim predict` workload the model cannot hold, as a flag error (exit 2) naming the flags: a prompt and output
 * longer than its context (before, `isl + osl = ... exceeds the model's context length ...`, exit 1), or a shared
 * prefix longer than the prompt.
 * @example workloadFlagError({ isl: 200000, osl: 128 }, { key: "dsr1", maxContext: 163840 })?.message
 */
export function workloadFlagError(
  w: { isl: number; osl: number; prefixLength?: number },
  model: { key: string; maxContext: number },
): UsageError | undefined {
  if (w.isl + w.osl > model.maxContext)
    return new UsageError(
      `--isl ${w.isl} + --osl ${w.osl} = ${w.isl + w.osl} tokens exceed the context length of ${model.key}, ${model.maxContext} tokens: give at most ${model.maxContext} in all`,
    );
  if (w.prefixLength !== undefined && w.prefixLength > w.isl)
    return new UsageError(
      `--prefix-length ${w.prefixLength} is longer than --isl ${w.isl}: the prompts share at most their whole length`,
    );
  return undefined;
}

/**
 * A `sim explain` step longer than the model's context, as a flag error (exit 2) naming the flag; before, the
 * simulator's `a context of ... tokens exceeds ...`, exit 1.
 */
export function stepFlagError(
  s: { context: number; prefill: number },
  model: { key: string; maxContext: number },
): UsageError | undefined {
  for (const [flag, tokens] of [
    ["--context", s.context],
    ["--prefill", s.prefill],
  ] as const)
    if (tokens > model.maxContext)
      return new UsageError(
        `${flag} ${tokens} exceeds the context length of ${model.key}, ${model.maxContext} tokens: give at most ${model.maxContext}`,
      );
  return undefined;
}

/**
 * A level given twice in `--concurrency` or `--rate`, as a flag error (exit 2): it was predicted twice, printed as
 * two equal rows, and with --output-dir written twice to one file, as `bench` refuses it.
 */
export function repeatedLevelError(
  flag: string,
  levels: readonly number[],
): UsageError | undefined {
  const twice = levels.find((level, i) => levels.indexOf(level) !== i);
  if (twice === undefined) return undefined;
  return new UsageError(`${flag} gives ${twice} twice: give each level once`);
}
