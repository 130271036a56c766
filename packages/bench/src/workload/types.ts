import type { RequestRecord, Stats, TraceInfo } from "@infermark/core";
import type { PromptTemplate } from "./prompt-template.js";

/** One chat message. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** One request a workload wants sent. */
export interface WorkItem {
  /** Completions prompt: text, or token ids where the backend accepts them. */
  prompt?: string | number[];
  /** Chat messages (the chat API); built from `prompt` when absent. */
  messages?: ChatMessage[];
  /**
   * Prompt length by the run's tokenizer, of what was sent: the rendered prompt when the client applied the chat
   * template (`useChatTemplate`); without the template the chat API's server applies.
   */
  promptTokens?: number;
  /** Output length asked for (`max_tokens`). */
  maxTokens: number;
  /** Session id and turn of a multi-turn workload. */
  session?: string;
  turn?: number;
  /**
   * Earliest time (ms on the run clock) the item may be sent: a session's think time after its
   * previous turn. The runner holds the slot until then; the wait is not counted as queue delay.
   */
  notBefore?: number;
}

/** How a finished request is handed back to the workload (sessions build the next turn from it). */
export interface WorkResult {
  item: WorkItem;
  record: RequestRecord;
  /** Generated text (content and reasoning). */
  text: string;
}

/** What a workload says about itself for `PointResult.config.workload`. */
export interface WorkloadInfo {
  kind: string;
  isl: number;
  osl: number;
  rangeRatio?: number;
  prefixLength?: number;
  seed?: number;
  dataset?: string;
  /** Achieved input lengths (tokenizer counts) of the prepared prompts. */
  achievedIsl?: Stats;
  /** Session workloads: user turns per session (the most, for sessions from a file). */
  turns?: number;
  /** Session workloads: mean think time (ms) between a response and the next turn. */
  thinkTimeMs?: number;
  /** Session workloads: how think times are drawn. */
  thinkTime?: "fixed" | "exponential";
  /** Trace replays: the file and how it is replayed. */
  trace?: TraceInfo;
}

/**
 * A source of requests. The load mode asks `next()` whenever it may send; a workload that depends
 * on earlier responses (a session) returns a promise, or an item with `notBefore` (think time),
 * and learns each response through `complete()`.
 * @example
 * const w = await createRandomWorkload({ isl: 128, osl: 64, tokenizer, seed: 1 });
 * await w.prepare?.(20);
 * const item = await w.next();
 */
export interface Workload {
  readonly info: WorkloadInfo;
  /** The chat template its prompts were wrapped in (`useChatTemplate`); absent when they were sent as built. */
  readonly promptTemplate?: PromptTemplate;
  /** Builds at least `count` requests ahead of a level, so no tokenizing happens while measuring. */
  prepare?(count: number): Promise<void>;
  /** The next request, or undefined when the workload is exhausted. */
  next(): WorkItem | undefined | Promise<WorkItem | undefined>;
  /** Called with every finished request, failed ones included. */
  complete?(result: WorkResult): void;
  /**
   * Sessions under an open loop (each arrival is a new session): starts one and gives its first turn. A workload
   * that has it also has `continueSession`.
   */
  startSession?(): WorkItem | Promise<WorkItem>;
  /**
   * After `complete` of a session's turn: that session's next turn (with `notBefore`, its think time), or undefined
   * when the session has ended (its last turn answered, or a turn failed).
   */
  continueSession?(item: WorkItem): WorkItem | undefined;
}
