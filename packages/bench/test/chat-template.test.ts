import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Tokenizer as HfTokenizer } from "@huggingface/tokenizers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BenchOptions, loadHfTokenizer, runBench, TokenizerError } from "../src/index.js";
import { chatmlTokenizerJson } from "./chatml-tokenizer.js";
import { type ScriptedServer, startScriptedServer, twoEventChat } from "./scripted-server.js";
import { RELAXED } from "./small-level.js";

/** Qwen's ChatML, with the BOS a Llama-style template renders first. */
const CHATML =
  "{{ bos_token }}{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

let root: string;
let server: ScriptedServer;
/** The tiny BPE tokenizer with ChatML's special tokens, a newline token and a BOS post-processor. */
let tokenizerJson: Record<string, unknown>;

/** Writes tokenizer.json and tokenizer_config.json (plus `files`) to a new folder; returns the tokenizer.json path. */
async function tokenizerDir(
  name: string,
  config: Record<string, unknown>,
  files: Record<string, string> = {},
): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  await writeFile(join(dir, "tokenizer.json"), JSON.stringify(tokenizerJson));
  await writeFile(join(dir, "tokenizer_config.json"), JSON.stringify(config));
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return join(dir, "tokenizer.json");
}

const BOS = { __type: "AddedToken", content: "<|endoftext|>", special: true };
const chatml = (extra: Record<string, unknown> = {}) => ({
  bos_token: BOS,
  eos_token: "<|im_end|>",
  chat_template: CHATML,
  ...extra,
});

/** The expected count, independently: ChatML built by hand, tokenized as apply_chat_template(tokenize=True) does. */
function chatmlTokens(messages: { role: string; content: string }[]): number {
  const turns = messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join("");
  const text = `<|endoftext|>${turns}<|im_start|>assistant\n`;
  const tok = new HfTokenizer(tokenizerJson, {});
  return tok.encode(text, { add_special_tokens: false }).ids.length;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "infermark-chat-template-"));
  tokenizerJson = await chatmlTokenizerJson({ bos: true });
  // a chat stream of two content events; the model name "usage" adds a usage-only last event
  server = await startScriptedServer(twoEventChat);
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

const chatRun = (tokenizer: string, extra: Partial<BenchOptions> = {}) =>
  runBench({
    baseUrl: server.url,
    model: "m",
    api: "chat",
    isl: 8,
    osl: 2,
    rangeRatio: 1,
    tokenizer,
    concurrency: [1],
    numRequests: 2,
    warmup: 0,
    healthBounds: RELAXED,
    ...extra,
  });

/** The messages each request of the last `n` sent. */
const sentMessages = (n: number) =>
  server.received.slice(-n).map((r) => r.body.messages as { role: string; content: string }[]);

describe("chat input tokens without usage (METRICS.md: with chat template when chat is used)", () => {
  it("counts the messages as the tokenizer's chat template renders them, BOS once", async () => {
    const path = await tokenizerDir("chatml", chatml());
    const { levels } = await chatRun(path);
    const { point, records } = levels[0]!;
    const expected = sentMessages(2).map(chatmlTokens);
    // 8 prompt tokens + 20 of the template: <|endoftext|> <|im_start|> u s e r Ċ, then <|im_end|> Ċ
    // <|im_start|> a s s i s t a n t Ċ (one token per special token, and the BOS only once)
    expect(expected).toEqual([28, 28]);
    expect(records.map((r) => [r.promptTokens, r.promptTokensSource])).toEqual([
      [28, "tokenizer"],
      [28, "tokenizer"],
    ]);
    expect(point.metrics.inputTokens).toBe(56);
    // the workload's lengths stay those of the prompt text it fitted to the ISL
    expect(point.config.workload.achievedIsl?.mean).toBe(8);
    expect(point.extra?.chatTemplate).toBe(join(root, "chatml", "tokenizer_config.json"));
  });

  it("keeps the server's usage.prompt_tokens when it gives them", async () => {
    const path = await tokenizerDir("usage", chatml());
    const { levels } = await chatRun(path, { model: "usage" });
    expect(levels[0]!.records.map((r) => [r.promptTokens, r.promptTokensSource])).toEqual([
      [7, "usage"],
      [7, "usage"],
    ]);
  });

  it("counts the prompt as sent, and says so, with the builtin tokenizer", async () => {
    const { levels } = await chatRun("builtin");
    const { point, records } = levels[0]!;
    expect(records.map((r) => r.promptTokens)).toEqual([8, 8]);
    expect(point.extra?.chatTemplate).toBe("none");
  });

  it("reads chat_template.jinja over the config's template, and the config's default of a list", async () => {
    const messages = [{ role: "user" as const, content: "hello" }];
    const list = await tokenizerDir("list", {
      ...chatml(),
      chat_template: [
        { name: "tool_use", template: "{{ raise_exception('not this one') }}" },
        { name: "default", template: CHATML },
      ],
    });
    const jinja = await tokenizerDir("jinja", chatml({ chat_template: "wrong" }), {
      "chat_template.jinja": CHATML,
    });
    const fromList = await loadHfTokenizer(list);
    const fromJinja = await loadHfTokenizer(jinja);
    expect(await fromList.countChat!(messages)).toBe(chatmlTokens(messages));
    expect(await fromJinja.countChat!(messages)).toBe(chatmlTokens(messages));
    expect(fromJinja.chatTemplate).toBe(join(root, "jinja", "chat_template.jinja"));
  });

  it("stops with one line before anything is sent when the template does not render", async () => {
    const path = await tokenizerDir("broken", chatml({ chat_template: "{% for m in %}" }));
    const sent = server.received.length;
    const error = await chatRun(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenizerError);
    expect((error as Error).message).toBe(
      `--tokenizer: the chat template in ${join(root, "broken", "tokenizer_config.json")} does not render (Unexpected token: CloseStatement); fix or remove it (input tokens are then counted from the prompt text alone)`,
    );
    expect(server.received.length).toBe(sent);
    // completions never render it, so a broken chat template does not stop them
    const { levels } = await chatRun(path, { api: "completions" });
    expect(levels[0]!.point.metrics.completed).toBe(2);
  });

  it("counts a request whose messages the template refuses from its prompt text, with a warning", async () => {
    const refusing = `{% if messages[0]['role'] == 'system' %}{{ raise_exception('no system role') }}{% endif %}${CHATML}`;
    const path = await tokenizerDir("refusing", chatml({ chat_template: refusing }));
    const dataset = join(root, "refusing", "requests.jsonl");
    const user = { role: "user", content: "the hello" };
    const system = { role: "system", content: "low" };
    await writeFile(
      dataset,
      `${JSON.stringify({ messages: [user], max_tokens: 2 })}\n${JSON.stringify({ messages: [system, user], max_tokens: 2 })}\n`,
    );
    const { levels } = await chatRun(path, { workload: "jsonl", dataset });
    const { point, records } = levels[0]!;
    // the second falls back to the workload's count: its contents joined by a newline
    const textOnly = new HfTokenizer(tokenizerJson, {}).encode("low\nthe hello", {
      add_special_tokens: false,
    }).ids.length;
    expect(records.map((r) => r.promptTokens)).toEqual([chatmlTokens([user]), textOnly]);
    expect(point.extra?.workloadWarnings).toEqual([
      "the chat template did not render the messages of 1 request(s) (first: no system role); their input tokens count the prompt text alone",
    ]);
  });
});
