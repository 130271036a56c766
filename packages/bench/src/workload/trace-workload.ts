import { basename } from "node:path";
import type { Tokenizer } from "../tokenizer/types.js";
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
    const text = r.prompt ?? r.messages!.map((m) => m.content).join("\n");
    const promptTokens = await tokenizer.count(text);
    return r.prompt !== undefined
      ? { prompt: r.prompt, promptTokens, maxTokens: r.outputLength }
      : { messages: r.messages!, promptTokens, maxTokens: r.outputLength };
  }
  const ids = prompts.ids(index, r.inputLength, r.hashIds ?? []);
  if (tokenIds) return { prompt: ids, promptTokens: ids.length, maxTokens: r.outputLength };
  const prompt = await prompts.decode(ids);
  return { prompt, promptTokens: await tokenizer.count(prompt), maxTokens: r.outputLength };
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
