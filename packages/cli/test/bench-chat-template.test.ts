import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PlanError, PointResult, planSweep, SweepSpec } from "@infermark/core";
import { createSimServer } from "@infermark/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBenchOptions } from "../src/sweep/check-bench-options.js";
import { benchOptionsFor } from "../src/sweep/measure-point.js";
import { REPO_ROOT, runCliInProcess } from "./helpers.js";

const TINY = join(REPO_ROOT, "packages/bench/test/fixtures/tiny-tokenizer/tokenizer.json");
const CHATML =
  "{{ bos_token }}{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
const NEEDS =
  "--use-chat-template needs the model's chat template: give --tokenizer <path to the model's tokenizer.json> with chat_template.jinja, or tokenizer_config.json holding chat_template, beside it";

let root: string;
/** The bench package's tiny BPE tokenizer with ChatML's special tokens and a newline token. */
let tokenizerJson: Record<string, unknown>;
/** A tokenizer.json with a ChatML template beside it, and one without. */
let withTemplate: string;
let bare: string;

async function tokenizerDir(name: string, config?: Record<string, unknown>): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  await writeFile(join(dir, "tokenizer.json"), JSON.stringify(tokenizerJson));
  if (config) await writeFile(join(dir, "tokenizer_config.json"), JSON.stringify(config));
  return join(dir, "tokenizer.json");
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "infermark-bench-chat-template-"));
  const tiny = JSON.parse(await readFile(TINY, "utf8"));
  const added = (id: number, content: string) => ({ id, content, special: true });
  tokenizerJson = {
    ...tiny,
    added_tokens: [...tiny.added_tokens, added(35, "<|im_start|>"), added(36, "<|im_end|>")],
    model: {
      ...tiny.model,
      vocab: { ...tiny.model.vocab, "<|im_start|>": 35, "<|im_end|>": 36, Ċ: 37 },
    },
  };
  withTemplate = await tokenizerDir("chatml", {
    bos_token: "<|endoftext|>",
    chat_template: CHATML,
  });
  bare = await tokenizerDir("bare");
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("infermark bench --use-chat-template", () => {
  it("refuses it where it cannot apply with one line and exit 2, writing nothing", async () => {
    const out = join(root, "out");
    // nothing listens there: every refusal comes before a request
    const common = ["bench", "--base-url", "http://127.0.0.1:9", "--model", "m"];
    const level = ["--isl", "64", "--osl", "4", "--concurrency", "1", "--power", "none"];
    const cases: [string[], string][] = [
      [["--use-chat-template"], `${NEEDS}, not --tokenizer builtin`],
      [["--use-chat-template", "--tokenizer", "server"], `${NEEDS}, not --tokenizer server`],
      [
        ["--use-chat-template", "--tokenizer", withTemplate, "--api", "chat"],
        "--use-chat-template applies to --api completions, not chat: the chat API's server applies the model's chat template itself",
      ],
      [
        ["--use-chat-template", "--tokenizer", withTemplate, "--workload", "multi-turn"],
        "--use-chat-template applies to the random, sharegpt and jsonl workloads, not multi-turn (--api chat has the server render each conversation)",
      ],
      // found out once the tokenizer is read, still before anything is sent
      [["--use-chat-template", "--tokenizer", bare], `${NEEDS}; there is none beside ${bare}`],
    ];
    for (const [flags, message] of cases) {
      const r = await runCliInProcess([...common, ...level, ...flags, "--output-dir", out]);
      expect([r.code, r.stdout, r.stderr], flags.join(" ")).toEqual([
        2,
        "",
        `infermark: ${message}\n`,
      ]);
    }
    await expect(readdir(out)).rejects.toThrow("ENOENT");
  });

  it("sends templated prompts of the ISL and says so in the point", async () => {
    const sim = createSimServer({ sim: { model: "dsr1", hardware: "h200", tp: 8 }, speed: 50 });
    const { port } = await sim.listen(0);
    const out = join(root, "run");
    try {
      const r = await runCliInProcess([
        ...["bench", "--base-url", `http://127.0.0.1:${port}`, "--model", "dsr1"],
        ...["--isl", "64", "--osl", "4", "--range-ratio", "1", "--concurrency", "1"],
        ...["--num-requests", "2", "--warmup", "0", "--gpus", "8", "--power", "none"],
        ...["--max-client-lag", "100000", "--output-dir", out],
        ...["--use-chat-template", "--tokenizer", withTemplate],
      ]);
      expect(r.code, r.stderr).toBe(0);
      const point = PointResult.parse(
        JSON.parse(await readFile(join(out, "point-c1.json"), "utf8")),
      );
      // the tiny tokenizer spells "user" and "assistant" a letter a token: 20 tokens around one prompt
      expect(point.extra?.useChatTemplate).toEqual({
        template: join(root, "chatml", "tokenizer_config.json"),
        templateTokens: 20,
      });
      expect(point.config.workload.achievedIsl?.mean).toBe(64);
    } finally {
      await sim.close();
    }
  });
});

describe("a sweep spec's bench.useChatTemplate (an InferenceX-like MTP sweep)", () => {
  const plan = (bench: Record<string, unknown>) =>
    planSweep(
      SweepSpec.parse({
        name: "mtp",
        model: "dsr1",
        hardware: "h200",
        framework: "trt",
        precision: "fp8",
        scenarios: [{ isl: 1024, osl: 1024 }],
        search: {
          tp: [8],
          specDecoding: [{ method: "mtp", draftTokens: 3 }],
          concurrency: [4],
        },
        server: { kind: "external", baseUrl: "http://127.0.0.1:8000" },
        bench,
      }),
    );

  it("passes it to each point's load generator, checked at plan time", () => {
    const bench = { backend: "trtllm", useChatTemplate: true, tokenizer: withTemplate };
    const planned = plan(bench);
    expect(() => checkBenchOptions(planned)).not.toThrow();
    const server = planned.servers[0]!;
    const options = benchOptionsFor({
      spec: planned.spec,
      server,
      point: server.points[0]!,
      baseUrl: "http://127.0.0.1:8000",
      ready: { models: ["dsr1"], modelsBody: undefined },
    });
    expect([options.useChatTemplate, options.tokenizer, options.api]).toEqual([
      true,
      withTemplate,
      undefined,
    ]);
    expect(() => checkBenchOptions(plan({ useChatTemplate: true }))).toThrow(
      new PlanError(
        "bench.useChatTemplate needs the model's chat template: give bench.tokenizer <path to the model's tokenizer.json> with chat_template.jinja, or tokenizer_config.json holding chat_template, beside it, not bench.tokenizer builtin",
      ),
    );
    expect(() => checkBenchOptions(plan({ useChatTemplate: "yes" }))).toThrow(
      new PlanError('bench.useChatTemplate expects true or false, got "yes"'),
    );
  });
});
