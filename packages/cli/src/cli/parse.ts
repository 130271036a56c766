import { shownUrl } from "@infermark/bench";
import { type Command, InvalidArgumentError } from "commander";
import { UsageError } from "../errors.js";

/**
 * A commander parser for a number flag that `accepts` it, naming the flag and what it `expects` on error.
 * @example numberFlag("--seed", Number.isInteger, "an integer")("7") // 7
 */
export function numberFlag(flag: string, accepts: (n: number) => boolean, expects: string) {
  return (value: string): number => {
    const n = Number(value);
    // Number("") and Number(" ") are 0: a blank value is no number
    if (value.trim() === "" || !accepts(n))
      throw new InvalidArgumentError(`${flag} expects ${expects}, got "${value}"`);
    return n;
  };
}

/** A commander parser for a whole number >= 0 (exact: at most 2^53), naming the flag on error. */
export const nonNegativeInt = (flag: string) =>
  numberFlag(flag, (n) => Number.isSafeInteger(n) && n >= 0, "an integer >= 0");

/** A commander parser for an integer of any sign (`--seed`). */
export const integer = (flag: string) => numberFlag(flag, Number.isSafeInteger, "an integer");

/** A commander parser for a positive integer flag, naming the flag on error. */
export const positiveInt = (flag: string) =>
  numberFlag(flag, (n) => Number.isSafeInteger(n) && n > 0, "a positive integer");

/** A commander parser for a positive number flag. */
export const positiveNumber = (flag: string) =>
  numberFlag(flag, (n) => Number.isFinite(n) && n > 0, "a positive number");

/** A commander parser for a comma-separated list of positive integers (`1,2,4,8`). */
export function intList(flag: string) {
  return (value: string): number[] => {
    const items = value.split(",").map((s) => s.trim());
    const out = items.map(Number);
    if (items.some((s) => s === "") || out.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
      throw new InvalidArgumentError(
        `${flag} expects a comma-separated list of positive integers, got "${value}"`,
      );
    }
    return out;
  };
}

/**
 * Checks `--gpus`, `--prefill-gpus` and `--decode-gpus` together: the pools of a disaggregated deployment are given
 * both or neither, and `--gpus` beside them is their sum, so the per-GPU figures divide by GPUs that exist.
 * @example checkGpuFlags({ gpus: 8, prefillGpus: 2, decodeGpus: 6 }) // ok
 */
export function checkGpuFlags(o: {
  gpus?: number;
  prefillGpus?: number;
  decodeGpus?: number;
}): void {
  if ((o.prefillGpus === undefined) !== (o.decodeGpus === undefined))
    throw new UsageError("give --prefill-gpus and --decode-gpus together (disaggregated serving)");
  if (o.gpus !== undefined && o.prefillGpus !== undefined && o.decodeGpus !== undefined) {
    if (o.gpus !== o.prefillGpus + o.decodeGpus)
      throw new UsageError(
        `--gpus (${o.gpus}) must be --prefill-gpus + --decode-gpus (${o.prefillGpus + o.decodeGpus}), or left out`,
      );
  }
}

/**
 * Checks the load-mode flags of one or more levels (bench, aggregate): a closed loop (`--concurrency`) or an open one
 * (`--rate`), not both; the open loop's flags (`--max-concurrency`, `--arrival`, `--burstiness`) only with `--rate`,
 * as a closed loop would ignore them. `required`: one of the two must be given. `trace`: a trace replay, whose
 * timestamps are the schedule: neither is given, and `--max-concurrency` may cap it.
 * @example checkLoadFlags({ rate: 2, maxConcurrency: 8 }) // ok
 */
export function checkLoadFlags(
  o: {
    concurrency?: unknown;
    rate?: unknown;
    maxConcurrency?: number;
    arrival?: string;
    burstiness?: number;
  },
  { required = true, trace = false } = {},
): void {
  if (trace) {
    if (o.concurrency || o.rate)
      throw new UsageError(
        "--concurrency / --rate do not apply to --workload trace: its timestamps are the schedule (--max-concurrency caps it, --trace-speedup replays it faster)",
      );
    if (o.arrival !== undefined || o.burstiness !== undefined)
      throw new UsageError("--arrival / --burstiness do not apply to --workload trace");
    return;
  }
  if (o.concurrency && o.rate) throw new UsageError("give only one of --concurrency and --rate");
  if (required && !o.concurrency && !o.rate) throw new UsageError("give --concurrency or --rate");
  for (const [flag, value] of [
    ["--max-concurrency", o.maxConcurrency],
    ["--arrival", o.arrival],
    ["--burstiness", o.burstiness],
  ] as const) {
    if (value !== undefined && !o.rate) throw new UsageError(`${flag} applies to --rate only`);
  }
  if (o.burstiness !== undefined && o.arrival !== undefined && o.arrival !== "gamma")
    throw new UsageError(`--burstiness applies to --arrival gamma, not ${o.arrival}`);
}

/**
 * Checks the workload flags of `bench`: `--dataset` only with a file workload, and the random workload's own flags
 * (`--isl`, `--prefix-length`, `--token-ids`, `--range-ratio`) only without one, as the other workload would ignore them.
 * @example checkWorkloadFlags({ workload: "jsonl", dataset: "r.jsonl", osl: 64 }) // ok
 */
export function checkWorkloadFlags(o: {
  workload?: string;
  dataset?: string;
  isl?: number;
  prefixLength?: number;
  tokenIds?: boolean;
  /** Only when the user gave it (it has a default). */
  rangeRatio?: number;
}): void {
  const workload = o.workload ?? "random";
  if (workload === "random") {
    if (o.dataset !== undefined)
      throw new UsageError(
        "--dataset applies to --workload sharegpt, jsonl, multi-turn or trace, not random",
      );
    return;
  }
  // synthetic sessions take the random workload's flags
  if (workload === "multi-turn" && o.dataset === undefined) return;
  for (const [flag, value] of [
    ["--isl", o.isl],
    ["--prefix-length", o.prefixLength],
    // a trace's generated prompts may go as token ids
    ["--token-ids", workload === "trace" ? undefined : o.tokenIds || undefined],
    ["--range-ratio", o.rangeRatio],
  ] as const) {
    if (value !== undefined)
      throw new UsageError(
        workload === "multi-turn"
          ? `${flag} applies to synthetic sessions only, not to ShareGPT conversations (--dataset)`
          : `${flag} applies to the random workload only, not ${workload}`,
      );
  }
}

/**
 * A commander parser for `--rate` levels: a comma-separated list of positive numbers, where `inf` (as vLLM's
 * `--request-rate inf`) is Infinity: every request sent at once (see `infiniteRateAsConcurrency`).
 */
export function rateList(flag: string) {
  const numbers = numberList(flag);
  return (value: string): number[] => {
    if (!/\binf(inity)?\b/i.test(value)) return numbers(value);
    const items = value.split(",").map((s) => s.trim());
    const finite = items.filter((s) => !/^inf(inity)?$/i.test(s));
    const parsed = finite.length > 0 ? numbers(finite.join(",")) : [];
    // in the order given
    let next = 0;
    return items.map((s) =>
      /^inf(inity)?$/i.test(s) ? Number.POSITIVE_INFINITY : parsed[next++]!,
    );
  };
}

/**
 * `--rate inf --max-concurrency N` (vLLM's client, and InferenceX's runs of it: every request is due at once and N
 * are in flight) is a closed loop of N: a request is sent as soon as one of the N before it ends. Given alone, it is
 * returned as `--concurrency N`; undefined when the levels hold no `inf`.
 * @example infiniteRateAsConcurrency({ rate: [Infinity], maxConcurrency: 64 }) // { concurrency: [64] }
 */
export function infiniteRateAsConcurrency(o: {
  rate?: number[];
  maxConcurrency?: number;
  arrival?: string;
  burstiness?: number;
}): { concurrency: number[] } | undefined {
  if (!o.rate?.includes(Number.POSITIVE_INFINITY)) return undefined;
  if (o.rate.length > 1)
    throw new UsageError(
      "--rate inf is a closed loop (every request due at once, --max-concurrency in flight): give it alone, or use --concurrency for several levels",
    );
  if (o.maxConcurrency === undefined)
    throw new UsageError(
      "--rate inf needs --max-concurrency N: N requests in flight, each sent as soon as one ends (which is --concurrency N); to send every request at once as vLLM's --request-rate inf without a cap does, give --concurrency N --num-requests N --warmup 0 (all N sent together)",
    );
  if (o.arrival !== undefined || o.burstiness !== undefined)
    throw new UsageError(
      "--arrival / --burstiness do not apply to --rate inf: nothing is spaced out",
    );
  return { concurrency: [o.maxConcurrency] };
}

/** A commander parser for a comma-separated list of positive numbers (`0.5,1,2`). */
export function numberList(flag: string) {
  return (value: string): number[] => {
    const items = value.split(",").map((s) => s.trim());
    const out = items.map(Number);
    if (items.some((s) => s === "") || out.some((n) => !Number.isFinite(n) || n <= 0)) {
      throw new InvalidArgumentError(
        `${flag} expects a comma-separated list of positive numbers, got "${value}"`,
      );
    }
    return out;
  };
}

/**
 * A commander parser for an http(s) URL flag, naming the flag on error. A URL with a password in its user part is
 * shown without it, in a UsageError: commander prints its own InvalidArgumentError after the value as given.
 * @example httpUrl("--dcgm-url")("http://gpu-1:9400/metrics") // "http://gpu-1:9400/metrics"
 */
export function httpUrl(flag: string) {
  return (value: string): string => {
    const protocol = URL.canParse(value) ? new URL(value).protocol : "";
    if (protocol === "http:" || protocol === "https:") return value;
    const shown = shownUrl(value);
    const message = `${flag} expects an http(s) URL, got "${shown}"`;
    throw shown === value ? new InvalidArgumentError(message) : new UsageError(message);
  };
}

/** A commander parser of a TCP port for `--port` (0 picks a free one). */
export function port(value: string): number {
  const n = Number(value);
  // Number("") is 0: a blank value would pick a free port
  if (value.trim() === "" || !Number.isSafeInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--port expects 0-65535, got "${value}"`);
  return n;
}

/**
 * The goodput SLO flags (`--slo-ttft`, `--slo-tpot`, `--slo-e2el`, seconds) that bench and aggregate both take.
 * @example addSloFlags(program.command("aggregate"))
 */
export function addSloFlags(command: Command): Command {
  return command
    .option(
      "--slo-ttft <s>",
      "TTFT SLO in seconds, e.g. 0.5 for 500 ms (goodput)",
      positiveNumber("--slo-ttft"),
    )
    .option(
      "--slo-tpot <s>",
      "TPOT SLO in seconds, e.g. 0.05 for 50 ms (goodput)",
      positiveNumber("--slo-tpot"),
    )
    .option("--slo-e2el <s>", "E2EL SLO in seconds (goodput)", positiveNumber("--slo-e2el"));
}
