import { maxOf, type ScenarioDataset } from "@infermark/core";
import { WorkloadFileError } from "../errors.js";
import { createRng } from "../rng.js";
import type { Tokenizer } from "../tokenizer/types.js";
import { fileLines, jsonArrayEntries } from "./dataset-stream.js";
import type { PromptTemplate } from "./prompt-template.js";
import type { ChatMessage, WorkItem, Workload } from "./types.js";

/** Options of a workload read from a file. */
export interface FileWorkloadOptions {
  path: string;
  format: "sharegpt" | "jsonl";
  tokenizer: Tokenizer;
  /** Fixed output length; otherwise each entry's own (`max_tokens`, or the ShareGPT reply's length). */
  osl?: number;
  /** Shuffle the entries with this seed (sent in file order without it). */
  seed?: number;
  /**
   * Wrap each entry in the model's chat template (`useChatTemplate`): a prompt as one user message, an entry's
   * messages as they are; its length is the rendered prompt's.
   */
  template?: PromptTemplate;
}

const MIN_TOKENS = 4;

/**
 * A workload from a file: ShareGPT JSON (`[{conversations: [{from, value}, ...]}]`, first human
 * turn as prompt, the reply's token length as output length, like vLLM's `sharegpt` dataset), or
 * JSONL of `{prompt | messages, max_tokens}`. Entries are reused in order when a run needs more.
 * @example const w = await fileWorkload({ path: "data.jsonl", format: "jsonl", tokenizer });
 */
export async function fileWorkload(options: FileWorkloadOptions): Promise<Workload> {
  const entries = await fileItems(options);
  if (options.seed !== undefined) shuffle(entries, options.seed);
  const lengths = entries.map((e) => e.promptTokens ?? 0);
  const outputs = entries.map((e) => e.maxTokens);
  let cursor = 0;
  return {
    ...(options.template ? { promptTemplate: options.template } : {}),
    info: {
      kind: options.format,
      isl: Math.round(mean(lengths)),
      osl: options.osl ?? Math.round(mean(outputs)),
      dataset: options.path,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
    },
    next() {
      const item = entries[cursor % entries.length]!;
      cursor++;
      return { ...item };
    },
  };
}

/** What a sweep plans from a dataset file: its requests and their lengths, by the run's tokenizer. */
export type DatasetStats = Pick<ScenarioDataset, "requests" | "longest" | "isl" | "osl" | "turns">;

/**
 * The requests a file workload would send, counted and measured as it reads them (same parsing, same entries
 * left out): how many, the longest prompt + output, the mean input and output lengths.
 * @example const { requests, longest } = await fileWorkloadStats({ path: "chat.json", format: "sharegpt", tokenizer });
 */
export async function fileWorkloadStats(
  options: Omit<FileWorkloadOptions, "seed">,
): Promise<DatasetStats> {
  const entries = await fileItems(options);
  return {
    requests: entries.length,
    longest: maxOf(entries.map((e) => (e.promptTokens ?? 0) + e.maxTokens)),
    isl: Math.round(mean(entries.map((e) => e.promptTokens ?? 0))),
    osl: Math.round(mean(entries.map((e) => e.maxTokens))),
  };
}

/**
 * The usable entries of a workload file, in file order; one clear error when there are none. The file is read as a
 * stream, so its size is not bounded by the longest string JavaScript holds, and only what an entry sends is kept.
 */
async function fileItems(options: Omit<FileWorkloadOptions, "seed">): Promise<WorkItem[]> {
  const entries =
    options.format === "sharegpt" ? await shareGptItems(options) : await jsonlItems(options);
  if (entries.length === 0) throw new WorkloadFileError(options.path, "holds no usable request");
  const { template } = options;
  if (!template) return entries;
  const templated: WorkItem[] = [];
  for (const [i, { messages, prompt, ...rest }] of entries.entries()) {
    let text: string;
    try {
      text = messages ? template.render(messages) : template.wrap(prompt as string);
    } catch (error) {
      const reason = String(((error as Error).cause as Error | undefined)?.message ?? error);
      throw new WorkloadFileError(
        options.path,
        `the chat template in ${template.source} does not render request ${i + 1} (${reason.split("\n")[0]}); fix the entry, or leave --use-chat-template out`,
        { cause: error },
      );
    }
    templated.push({ ...rest, prompt: text, promptTokens: await options.tokenizer.count(text) });
  }
  return templated;
}

/** The entries of a ShareGPT file (a JSON array), one at a time and unchecked. */
export function shareGptEntries(path: string): AsyncGenerator<unknown> {
  return jsonArrayEntries(path, "ShareGPT format");
}

async function shareGptItems(o: Omit<FileWorkloadOptions, "seed">): Promise<WorkItem[]> {
  const items: WorkItem[] = [];
  for await (const entry of shareGptEntries(o.path)) {
    const turns = (entry as { conversations?: { from?: string; value?: string }[] })?.conversations;
    if (!Array.isArray(turns) || turns.length < 2) continue;
    const prompt = turns[0]?.value;
    const reply = turns[1]?.value;
    if (typeof prompt !== "string" || typeof reply !== "string") continue;
    const promptTokens = await o.tokenizer.count(prompt);
    const replyTokens = await o.tokenizer.count(reply);
    if (promptTokens < MIN_TOKENS || (o.osl === undefined && replyTokens < MIN_TOKENS)) continue;
    items.push({ prompt, promptTokens, maxTokens: o.osl ?? replyTokens });
  }
  return items;
}

async function jsonlItems(o: Omit<FileWorkloadOptions, "seed">): Promise<WorkItem[]> {
  const items: WorkItem[] = [];
  for await (const { line: number, text } of fileLines(o.path)) {
    const line = text.trim();
    if (line.length === 0) continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line);
    } catch (error) {
      throw new WorkloadFileError(o.path, `line ${number} is not JSON`, { cause: error });
    }
    const maxTokens = o.osl ?? entry.max_tokens;
    if (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens <= 0) {
      throw new WorkloadFileError(
        o.path,
        `line ${number} needs a positive integer max_tokens (or give --osl)`,
      );
    }
    if (typeof entry.prompt === "string") {
      items.push({
        prompt: entry.prompt,
        promptTokens: await o.tokenizer.count(entry.prompt),
        maxTokens,
      });
    } else if (Array.isArray(entry.messages)) {
      const messages = entry.messages as ChatMessage[];
      const text = messages.map((m) => m.content).join("\n");
      items.push({ messages, promptTokens: await o.tokenizer.count(text), maxTokens });
    } else {
      throw new WorkloadFileError(
        o.path,
        `line ${number} needs "prompt" (string) or "messages" (array)`,
      );
    }
  }
  return items;
}

/** Shuffles in place, reproducibly from the seed (Fisher-Yates). */
export function shuffle<T>(items: T[], seed: number): void {
  const rng = createRng(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

const mean = (xs: readonly number[]) =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
