import { createHash } from "node:crypto";
import { BenchOptionError } from "../errors.js";
import { createRng, type Rng } from "../rng.js";
import { BUILTIN_WORDS } from "../tokenizer/builtin-tokenizer.js";
import type { Tokenizer } from "../tokenizer/types.js";
import type { PromptTemplate } from "./prompt-template.js";
import type { WorkItem, Workload, WorkloadInfo } from "./types.js";

/** Options of the random (fixed-sequence) workload. */
export interface RandomWorkloadOptions {
  /** Nominal input length in tokens. */
  isl: number;
  /** Nominal output length in tokens. */
  osl: number;
  tokenizer: Tokenizer;
  /** Lengths are uniform in [ratio x L, L] for input and output (InferenceX uses 0.8). @default 1 */
  rangeRatio?: number;
  /** Tokens shared by every prompt, at its start, counted within the ISL. @default 0 */
  prefixLength?: number;
  /** @default 0 */
  seed?: number;
  /** Send prompts as token ids instead of text (completions API, backends that accept them). @default false */
  tokenIds?: boolean;
  /**
   * Wrap each prompt in the model's chat template as one user message (`useChatTemplate`, InferenceX's
   * `--use-chat-template`): the template's tokens are taken off the ISL before the lengths are drawn, so the ISL and
   * the prompt counts are those of the rendered prompt. Needs a tokenizer that decodes.
   */
  template?: PromptTemplate;
}

const FIT_ROUNDS = 6;

/**
 * The InferenceX random workload: every prompt unique (random tokens right after the optional
 * shared prefix, so no prefix cache can serve it), its length fitted to the tokenizer, output
 * asked for with `max_tokens`; reproducible from the seed.
 * @example
 * const w = randomWorkload({ isl: 1024, osl: 128, tokenizer: builtinTokenizer(), seed: 1 });
 * await w.prepare(10); const item = await w.next();
 */
export function randomWorkload(options: RandomWorkloadOptions): Workload & {
  prepare(count: number): Promise<void>;
} {
  const ratio = options.rangeRatio ?? 1;
  const prefixLength = Math.min(options.prefixLength ?? 0, options.isl);
  const rng = createRng(options.seed ?? 0);
  const tok = options.tokenizer;
  const template = options.template;
  // the tokens drawn are the prompt's own; the template's come on top of them (InferenceX: `input_len -
  // chat_template_len`, ratio applied to what is left)
  const contentIsl = options.isl - (template?.tokens ?? 0);
  if (template && contentIsl <= prefixLength) {
    throw new BenchOptionError(
      `--use-chat-template: the chat template takes ${template.tokens} of --isl ${options.isl} tokens, leaving ${Math.max(0, contentIsl)} for the prompt${prefixLength > 0 ? ` and its --prefix-length ${prefixLength}` : ""}; give a larger --isl`,
    );
  }
  // prepared items, in order; `head` is the next one. Sent items are let go (a level at concurrency 8,192 prepares
  // about 98,000 prompts, 8k tokens each)
  let items: (WorkItem | undefined)[] = [];
  let head = 0;
  // a digest of every prompt made (not the prompt itself), so that none repeats
  const seen = new Set<string>();
  let prefix: { ids: number[]; words: string[] } | undefined;
  const info: WorkloadInfo = {
    kind: "random",
    isl: options.isl,
    osl: options.osl,
    rangeRatio: ratio,
    prefixLength,
    seed: options.seed ?? 0,
  };
  const lengthIn = (nominal: number) => rng.int(Math.max(1, Math.floor(ratio * nominal)), nominal);

  const sharedPrefix = () => {
    if (!prefix) {
      prefix = tok.sampleIds
        ? { ids: tok.sampleIds(prefixLength, rng), words: [] }
        : { ids: [], words: randomWords(prefixLength, rng) };
    }
    return prefix;
  };

  const makeOne = async (): Promise<WorkItem> => {
    const target = Math.max(lengthIn(contentIsl), prefixLength + 1);
    const maxTokens = lengthIn(options.osl);
    for (let attempt = 0; ; attempt++) {
      const fitted = template
        ? await fitTemplated(target, template)
        : tok.sampleIds && tok.decode
          ? await fitIds(target)
          : await fitWords(target);
      const key = digest(fitted.prompt);
      if (!seen.has(key) || attempt >= 3) {
        seen.add(key);
        return packedItem(fitted.prompt, fitted.count, maxTokens);
      }
    }
  };

  const fitIds = async (
    target: number,
    asIds = options.tokenIds,
  ): Promise<{ prompt: string | number[]; count: number }> => {
    const head = sharedPrefix().ids;
    let ids = head.concat(tok.sampleIds!(target - head.length, rng));
    if (asIds) return { prompt: ids, count: ids.length };
    let text = await tok.decode!(ids);
    let count = (await tok.encode(text)).length;
    for (let round = 0; round < FIT_ROUNDS && count !== target; round++) {
      const enc = await tok.encode(text);
      ids =
        enc.length > target
          ? enc.slice(0, target)
          : enc.concat(tok.sampleIds!(target - enc.length, rng));
      text = await tok.decode!(ids);
      count = (await tok.encode(text)).length;
    }
    return { prompt: text, count };
  };

  const fitWords = async (target: number): Promise<{ prompt: string; count: number }> => {
    const head = sharedPrefix().words;
    let words = head.concat(randomWords(target - head.length, rng));
    let count = await tok.count(words.join(" "));
    for (let round = 0; round < FIT_ROUNDS && count !== target; round++) {
      if (count < target) words = words.concat(randomWords(target - count, rng));
      else {
        const drop = Math.max(1, Math.floor(((count - target) * words.length) / count));
        words = words.slice(0, Math.max(head.length + 1, words.length - drop));
      }
      count = await tok.count(words.join(" "));
    }
    return { prompt: words.join(" "), count };
  };

  /**
   * A prompt of `target` tokens of its own, wrapped: fitted again (a few rounds) while the rendered prompt is not
   * `target` plus the template's tokens, as tokens can merge where the prompt meets the template. As token ids: the
   * rendered text's, so the template's special tokens (a BOS it writes) go as they are.
   */
  const fitTemplated = async (
    target: number,
    t: PromptTemplate,
  ): Promise<{ prompt: string | number[]; count: number }> => {
    const want = target + t.tokens;
    let own = target;
    let text = "";
    let ids: number[] = [];
    for (let round = 0; round < 3 && ids.length !== want; round++) {
      const fitted = tok.sampleIds && tok.decode ? await fitIds(own, false) : await fitWords(own);
      text = t.wrap(fitted.prompt as string);
      ids = await tok.encode(text);
      own = Math.max(prefixLength + 1, own + want - ids.length);
    }
    return options.tokenIds
      ? { prompt: ids, count: ids.length }
      : { prompt: text, count: ids.length };
  };

  return {
    info,
    ...(template ? { promptTemplate: template } : {}),
    async prepare(count: number) {
      while (items.length - head < count) items.push(await makeOne());
    },
    next() {
      const ready = items[head];
      if (ready === undefined) return makeOne();
      items[head++] = undefined;
      if (head >= 4096 && head * 2 >= items.length) {
        items = items.slice(head);
        head = 0;
      }
      return ready;
    },
  };
}

function randomWords(n: number, rng: Rng): string[] {
  return Array.from(
    { length: Math.max(0, n) },
    () => BUILTIN_WORDS[rng.int(0, BUILTIN_WORDS.length - 1)]!,
  );
}

/**
 * A work item whose prompt is kept packed outside the JavaScript heap (UTF-8 bytes, or token ids as 32-bit integers)
 * and made into a string (or an array) each time `prompt` is read: a level's prepared prompts can be GBs (98,000
 * prompts of 8k tokens, about 48 KB of text each, at InferenceX's 8k/1k concurrency 8,192), past Node's default heap.
 */
function packedItem(prompt: string | number[], promptTokens: number, maxTokens: number): WorkItem {
  const packed = typeof prompt === "string" ? Buffer.from(prompt, "utf8") : Int32Array.from(prompt);
  const item: WorkItem = { promptTokens, maxTokens };
  Object.defineProperty(item, "prompt", {
    get: () => (packed instanceof Int32Array ? Array.from(packed) : packed.toString("utf8")),
    enumerable: true,
    configurable: true,
  });
  return item;
}

/** A digest of a prompt, text or token ids, for telling prompts apart without keeping them. */
function digest(prompt: string | number[]): string {
  const hash = createHash("sha1");
  if (typeof prompt === "string") hash.update(prompt);
  else hash.update(new Uint8Array(Int32Array.from(prompt).buffer));
  return hash.digest("base64");
}
