import { basename } from "node:path";
import type { Tokenizer } from "../tokenizer/types.js";
import type { DatasetStats } from "./file-workload.js";
import { readTraceFile, type TraceRecord } from "./trace-file.js";
import { type BlockPrompts, blockPrompts, DEFAULT_TRACE_BLOCK_SIZE } from "./trace-prompts.js";
import type { WorkItem, Workload, WorkloadInfo } from "./types.js";

/** Options of a trace replay. */
export interface TraceWorkloadOptions {
  /** JSONL trace (Mooncake records, or text records). */
  path: string;
  tokenizer: Tokenizer;
  /** Tokens per hash id. @default 512 (Mooncake's) */
  blockSize?: number;
  /** Timestamps are divided by this. @default 1 */
  speedup?: number;
  /** Seeds the blocks' tokens. @default 0 */
  seed?: number;
  /** Send generated prompts as token ids (completions API; text records stay text). @default false */
  tokenIds?: boolean;
}

/** A trace replay: its records in order, each with its send time. */
export interface TraceWorkload extends Workload {
  /** Records in the file. */
  readonly records: number;
  /** Builds the first `count` requests (the records taken, warm-up first), once. */
  prepare(count: number): Promise<void>;
  /**
   * Send times of the first `count` records, ms after the first record's (its timestamp over the speedup); a
   * record without a timestamp goes with the record before it.
   */
  schedule(count: number): number[];
  /**
   * Tokens of records `from` .. `to - 1` a prefix cache could serve, by their hash ids: in each prompt, the leading
   * blocks whose run of hash ids an earlier record's prompt began with (as much of each block as that earlier
   * prompt held). `total` is those records' input tokens (Mooncake records only).
   */
  shareable(from: number, to: number): { tokens: number; total: number };
}

/**
 * Replays a request trace (`--workload trace`): each Mooncake record becomes a prompt of exactly `input_length`
 * tokens built from its hash ids (`blockPrompts`), asking for `output_length` tokens; text records are sent as
 * they are. The load mode sends record i at `schedule()[i]`.
 * @example const w = await traceWorkload({ path: "trace.jsonl", tokenizer: builtinTokenizer() });
 */
export async function traceWorkload(o: TraceWorkloadOptions): Promise<TraceWorkload> {
  const blockSize = o.blockSize ?? DEFAULT_TRACE_BLOCK_SIZE;
  const speedup = o.speedup ?? 1;
  const file = await readTraceFile(o.path, blockSize);
  const records = file.records;
  const prompts = blockPrompts(o.tokenizer, blockSize, o.seed ?? 0);
  const items: WorkItem[] = [];
  let cursor = 0;
  const info: WorkloadInfo = {
    kind: "trace",
    isl: 0,
    osl: 0,
    dataset: o.path,
    seed: o.seed ?? 0,
    trace: {
      file: basename(o.path),
      sha256: file.sha256,
      records: records.length,
      blockSize,
      speedup,
    },
  };
  return {
    info,
    records: records.length,
    async prepare(count) {
      if (items.length > 0) return;
      const taken = records.slice(0, count);
      for (let i = 0; i < taken.length; i++)
        items.push(await itemOf(taken[i]!, i, prompts, o.tokenizer, o.tokenIds === true));
      // the nominal lengths: the means of the records taken, as for the other file workloads
      info.isl = Math.round(mean(items.map((it) => it.promptTokens ?? 0)));
      info.osl = Math.round(mean(items.map((it) => it.maxTokens)));
    },
    next() {
      return items[cursor++];
    },
    schedule(count) {
      const first = records.find((r) => r.timestamp !== undefined)?.timestamp ?? 0;
      let at = 0;
      return records.slice(0, count).map((r) => {
        if (r.timestamp !== undefined) at = (r.timestamp - first) / speedup;
        return at;
      });
    },
    shareable(from, to) {
      return shareableTokens(records.slice(0, to), from, blockSize);
    },
  };
}

async function itemOf(
  r: TraceRecord,
  index: number,
  prompts: BlockPrompts,
  tokenizer: Tokenizer,
  tokenIds: boolean,
): Promise<WorkItem> {
  if (r.inputLength === undefined) {
    const promptTokens = await tokenizer.count(recordText(r));
    return r.prompt !== undefined
      ? { prompt: r.prompt, promptTokens, maxTokens: r.outputLength }
      : { messages: r.messages!, promptTokens, maxTokens: r.outputLength };
  }
  const ids = prompts.ids(index, r.inputLength, r.hashIds ?? []);
  if (tokenIds) return { prompt: ids, promptTokens: ids.length, maxTokens: r.outputLength };
  const prompt = await prompts.decode(ids);
  return { prompt, promptTokens: await tokenizer.count(prompt), maxTokens: r.outputLength };
}

/** A text record's prompt as its tokens are counted: the prompt, or the messages' contents joined. */
function recordText(r: TraceRecord): string {
  return r.prompt ?? r.messages!.map((m) => m.content).join("\n");
}

/** What a trace holds, as a replay of it reads it: `traceStats`. */
export interface TraceStats extends DatasetStats {
  /** Tokens per hash id it was read with. */
  blockSize: number;
  /** ms from the first record's timestamp to the last's (0 without timestamps). */
  spanMs: number;
}

/**
 * Measures a trace as `traceWorkload` reads it (same parsing, same checks): its records, the longest request
 * (input + output tokens: `input_length`, or a text record's prompt by `tokenizer`), the mean input and output
 * lengths of the first `count` records (those a replay of `--num-requests count` sends; default all), and the
 * span of its timestamps; without building a prompt.
 * @example const { requests, longest, spanMs } = await traceStats({ path: "trace.jsonl", tokenizer });
 */
export async function traceStats(
  o: Pick<TraceWorkloadOptions, "path" | "tokenizer" | "blockSize"> & { count?: number },
): Promise<TraceStats> {
  const blockSize = o.blockSize ?? DEFAULT_TRACE_BLOCK_SIZE;
  const { records } = await readTraceFile(o.path, blockSize);
  const inputs: number[] = [];
  for (const r of records) inputs.push(r.inputLength ?? (await o.tokenizer.count(recordText(r))));
  const outputs = records.map((r) => r.outputLength);
  const stamps = records.flatMap((r) => (r.timestamp === undefined ? [] : [r.timestamp]));
  return {
    requests: records.length,
    // a loop, not Math.max(...): a production trace holds more records than a call takes arguments
    longest: inputs.reduce((most, input, i) => Math.max(most, input + outputs[i]!), 0),
    isl: Math.round(mean(inputs.slice(0, o.count))),
    osl: Math.round(mean(outputs.slice(0, o.count))),
    blockSize,
    spanMs: stamps.length === 0 ? 0 : stamps.at(-1)! - stamps[0]!,
  };
}

interface PrefixNode {
  children: Map<number, PrefixNode>;
  /** The most tokens of this block an earlier prompt held. */
  held: number;
}

function shareableTokens(
  records: readonly TraceRecord[],
  from: number,
  blockSize: number,
): { tokens: number; total: number } {
  const root: PrefixNode = { children: new Map(), held: 0 };
  let tokens = 0;
  let total = 0;
  records.forEach((r, i) => {
    if (r.inputLength === undefined) return;
    const counted = i >= from;
    if (counted) total += r.inputLength;
    let node = root;
    let prefixShared = true;
    (r.hashIds ?? []).forEach((h, k) => {
      const length = Math.min(blockSize, r.inputLength! - k * blockSize);
      let child = node.children.get(h);
      if (!child) {
        child = { children: new Map(), held: 0 };
        node.children.set(h, child);
      }
      // only a run from the prompt's start can come from a prefix cache
      if (prefixShared && counted) tokens += Math.min(length, child.held);
      if (child.held < length) prefixShared = false;
      child.held = Math.max(child.held, length);
      node = child;
    });
  });
  return { tokens, total };
}

const mean = (xs: readonly number[]) =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
