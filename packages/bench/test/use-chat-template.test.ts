import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Tokenizer as HfTokenizer } from "@huggingface/tokenizers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BenchOptionError, type BenchOptions, runBench, WorkloadFileError } from "../src/index.js";
import { chatmlTokenizerJson } from "./chatml-tokenizer.js";
import { type Script, type ScriptedServer, sse, startScriptedServer } from "./scripted-server.js";
import { RELAXED } from "./small-level.js";

/** Qwen's ChatML, with the BOS a Llama- or DeepSeek-style template renders first. */
const CHATML =
  "{{ bos_token }}{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
/** What CHATML renders around one user message, written out by hand. */
const HEAD = "<|endoftext|><|im_start|>user\n";
const TAIL = "<|im_end|>\n<|im_start|>assistant\n";

let root: string;
let server: ScriptedServer;
/** The tokenizer.json with the template beside it. */
let withTemplate: string;
/** The tiny BPE tokenizer with ChatML's special tokens and a newline token. */
let tokenizerJson: Record<string, unknown>;
/** An independent count: the text as the model's tokenizer reads it, special tokens one each, none added. */
let count: (text: string) => number;
let encode: (text: string) => number[];

/** A completions stream of two one-token events, no usage: the input tokens are the client's count. */
const twoTokens = (): Script => ({
  writes: [
    sse({ choices: [{ index: 0, text: " x", finish_reason: null }] }),
    sse({ choices: [{ index: 0, text: " y", finish_reason: "length" }] }),
    sse("[DONE]"),
  ],
});

async function tokenizerDir(name: string, config?: Record<string, unknown>): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  await writeFile(join(dir, "tokenizer.json"), JSON.stringify(tokenizerJson));
  if (config) await writeFile(join(dir, "tokenizer_config.json"), JSON.stringify(config));
  return join(dir, "tokenizer.json");
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "infermark-use-chat-template-"));
  tokenizerJson = await chatmlTokenizerJson();
  const tok = new HfTokenizer(tokenizerJson, {});
  encode = (text) => tok.encode(text, { add_special_tokens: false }).ids;
  count = (text) => encode(text).length;
  withTemplate = await tokenizerDir("chatml", {
    bos_token: { __type: "AddedToken", content: "<|endoftext|>", special: true },
    eos_token: "<|im_end|>",
    chat_template: CHATML,
  });
  server = await startScriptedServer(twoTokens);
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

const run = (extra: Partial<BenchOptions> = {}) =>
  runBench({
    baseUrl: server.url,
    model: "m",
    isl: 40,
    osl: 2,
    rangeRatio: 1,
    tokenizer: withTemplate,
    useChatTemplate: true,
    concurrency: [1],
    numRequests: 6,
    warmup: 0,
    healthBounds: RELAXED,
    ...extra,
  });

/** The prompts of the last `n` requests the server received. */
const sentPrompts = (n: number) => server.received.slice(-n).map((r) => r.body.prompt);

// the template's tokens, as InferenceX counts them: a user message "a" rendered, less one
const TEMPLATE_TOKENS = 20;

describe("--use-chat-template: random prompts wrapped in the model's chat template (InferenceX's MTP runs)", () => {
  it("sends each prompt as one user message rendered with the generation prompt, ISL counting the rendered prompt", async () => {
    expect(count(`${HEAD}a${TAIL}`) - 1).toBe(TEMPLATE_TOKENS);
    const { levels } = await run({ rangeRatio: 0.5 });
    const { point, records } = levels[0]!;
    const prompts = sentPrompts(6) as string[];
    for (const prompt of prompts) {
      expect(prompt.startsWith(HEAD) && prompt.endsWith(TAIL)).toBe(true);
      // the random text between holds no turn of its own
      const own = prompt.slice(HEAD.length, -TAIL.length);
      expect(own).not.toMatch(/<\|im_start\|>|<\|im_end\|>|<\|endoftext\|>/);
    }
    // InferenceX: the template's tokens come off the ISL, the ratio applies to the rest: [10, 20] + 20
    const lengths = prompts.map(count);
    for (const n of lengths) expect(n >= 30 && n <= 40, `${n}`).toBe(true);
    expect(new Set(prompts).size).toBe(6);
    // the records count the rendered prompt once (its BOS is in the text; none added), as InferenceX's prompt_len
    expect(records.map((r) => [r.promptTokens, r.promptTokensSource])).toEqual(
      lengths.map((n) => [n, "tokenizer"]),
    );
    expect(point.config.workload.achievedIsl?.mean).toBeCloseTo(
      lengths.reduce((a, b) => a + b, 0) / 6,
      9,
    );
    expect(point.config.workload.isl).toBe(40);
    expect(point.extra?.useChatTemplate).toEqual({
      template: join(root, "chatml", "tokenizer_config.json"),
      templateTokens: TEMPLATE_TOKENS,
    });
    expect(point.extra?.workloadWarnings).toBeUndefined();
  });

  it("fits the rendered prompt to the drawn length exactly, and reproduces it from the seed", async () => {
    await run({ seed: 7 });
    const first = sentPrompts(6) as string[];
    expect(first.map(count)).toEqual([40, 40, 40, 40, 40, 40]);
    await run({ seed: 7 });
    expect(sentPrompts(6)).toEqual(first);
    await run({ seed: 8 });
    expect(sentPrompts(6)).not.toEqual(first);
  });

  it("keeps the shared prefix right after the template's head", async () => {
    await run({ prefixLength: 8 });
    const ids = (sentPrompts(6) as string[]).map(encode);
    const head = count(HEAD);
    // the head and the 8 shared tokens are every prompt's; the token after them is not
    const shared = ids[0]!.slice(0, head + 8);
    for (const p of ids) expect(p.slice(0, head + 8)).toEqual(shared);
    expect(new Set(ids.map((p) => p[head + 8])).size).toBeGreaterThan(1);
    expect(ids.map((p) => p.length)).toEqual([40, 40, 40, 40, 40, 40]);
  });

  it("sends the rendered prompt's token ids with --token-ids, the template's BOS once", async () => {
    const { levels } = await run({ tokenIds: true });
    const prompts = sentPrompts(6) as number[][];
    for (const ids of prompts) {
      expect(ids.length).toBe(40);
      // <|endoftext|> <|im_start|> at the start, <|im_start|> a s s i s t a n t Ċ at the end
      expect(ids.slice(0, 2)).toEqual([0, 35]);
      expect(ids.slice(-11)).toEqual(encode("<|im_start|>assistant\n"));
      expect(ids.filter((id) => id === 0)).toEqual([0]);
    }
    expect(levels[0]!.records.map((r) => r.promptTokens)).toEqual([40, 40, 40, 40, 40, 40]);
  });

  it("wraps a JSONL prompt as a user message and renders an entry's own messages", async () => {
    const dataset = join(root, "requests.jsonl");
    const system = { role: "system", content: "be brief" };
    const user = { role: "user", content: "the hello" };
    await writeFile(
      dataset,
      `${JSON.stringify({ prompt: "hello world", max_tokens: 2 })}\n${JSON.stringify({ messages: [system, user], max_tokens: 2 })}\n`,
    );
    const { levels } = await run({
      workload: "jsonl",
      dataset,
      isl: undefined,
      osl: undefined,
      rangeRatio: undefined,
      numRequests: 2,
    });
    const expected = [
      `${HEAD}hello world${TAIL}`,
      "<|endoftext|><|im_start|>system\nbe brief<|im_end|>\n<|im_start|>user\nthe hello<|im_end|>\n<|im_start|>assistant\n",
    ];
    // the entries go in the seed's order
    const prompts = sentPrompts(2) as string[];
    expect([...prompts].sort()).toEqual([...expected].sort());
    expect(server.received.slice(-2).map((r) => r.body.messages)).toEqual([undefined, undefined]);
    expect(levels[0]!.records.map((r) => r.promptTokens)).toEqual(prompts.map(count));
  });

  it("stops with a file error naming the entry the template cannot render", async () => {
    const refusing = await tokenizerDir("refusing", {
      bos_token: "<|endoftext|>",
      chat_template: `{% if messages[0]['role'] == 'system' %}{{ raise_exception('no system role') }}{% endif %}${CHATML}`,
    });
    const dataset = join(root, "system.jsonl");
    await writeFile(
      dataset,
      `${JSON.stringify({ prompt: "hi", max_tokens: 2 })}\n${JSON.stringify({ messages: [{ role: "system", content: "x" }], max_tokens: 2 })}\n`,
    );
    const sent = server.received.length;
    const error = await run({
      workload: "jsonl",
      dataset,
      tokenizer: refusing,
      isl: undefined,
      rangeRatio: undefined,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkloadFileError);
    expect((error as Error).message).toBe(
      `${dataset}: the chat template in ${join(root, "refusing", "tokenizer_config.json")} does not render request 2 (no system role); fix the entry, or leave --use-chat-template out`,
    );
    expect(server.received.length).toBe(sent);
  });
});

describe("--use-chat-template refused where it cannot apply, before anything is sent", () => {
  it("refuses the chat API, a workload of sessions or a trace, and a tokenizer without a template", async () => {
    const noTemplate = await tokenizerDir("bare");
    const brokenTemplate = await tokenizerDir("broken", { chat_template: "{% for m in %}" });
    const needs =
      "--use-chat-template needs the model's chat template: give --tokenizer <path to the model's tokenizer.json> with chat_template.jinja, or tokenizer_config.json holding chat_template, beside it";
    const cases: [Partial<BenchOptions>, string][] = [
      [
        { api: "chat" },
        "--use-chat-template applies to --api completions, not chat: the chat API's server applies the model's chat template itself",
      ],
      [
        { workload: "multi-turn", api: "completions" },
        "--use-chat-template applies to the random, sharegpt and jsonl workloads, not multi-turn (--api chat has the server render each conversation)",
      ],
      [
        {
          workload: "trace",
          dataset: join(root, "t.jsonl"),
          concurrency: undefined,
          isl: undefined,
          osl: undefined,
        },
        "--use-chat-template applies to the random, sharegpt and jsonl workloads, not trace",
      ],
      [{ tokenizer: undefined }, `${needs}, not --tokenizer builtin`],
      [{ tokenizer: "server" }, `${needs}, not --tokenizer server`],
      [{ tokenizer: noTemplate }, `${needs}; there is none beside ${noTemplate}`],
      [
        { tokenizer: brokenTemplate },
        `--use-chat-template: the chat template in ${join(root, "broken", "tokenizer_config.json")} does not render a user message (Unexpected token: CloseStatement); fix it, or leave --use-chat-template out`,
      ],
      // the template's 20 tokens leave 20 of the ISL, and the shared prefix takes them
      [
        { prefixLength: 20, isl: 40 },
        "--use-chat-template: the chat template takes 20 of --isl 40 tokens, leaving 20 for the prompt and its --prefix-length 20; give a larger --isl",
      ],
      [
        { isl: 20 },
        "--use-chat-template: the chat template takes 20 of --isl 20 tokens, leaving 0 for the prompt; give a larger --isl",
      ],
    ];
    const sent = server.received.length;
    for (const [options, message] of cases) {
      const error = await run(options).catch((e: unknown) => e);
      expect(error, message).toBeInstanceOf(BenchOptionError);
      expect((error as Error).message).toBe(message);
    }
    expect(server.received.length).toBe(sent);
  });
});
