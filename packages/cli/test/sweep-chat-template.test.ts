import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PointResult } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { REPO_ROOT, runCli } from "./helpers.js";
import { TEST_HEALTH_BOUNDS } from "./tiny-spec.js";

const TINY = join(REPO_ROOT, "packages/bench/test/fixtures/tiny-tokenizer/tokenizer.json");
const PROMPTS = join(REPO_ROOT, "packages/cli/test/fixtures/sweep/prompts.jsonl");
const CHATML =
  "{{ bos_token }}{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** The fixture's longest JSONL entry under the tiny tokenizer, prompt and output, without a template. */
const PLAIN_LONGEST = 267;

let root: string;
/** The bench package's tiny BPE tokenizer with ChatML's special tokens, and a ChatML template beside it. */
let tokenizer: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "infermark-sweep-chat-template-"));
  const tiny = JSON.parse(await readFile(TINY, "utf8"));
  const added = (id: number, content: string) => ({ id, content, special: true });
  await mkdir(join(root, "chatml"));
  tokenizer = join(root, "chatml", "tokenizer.json");
  await writeFile(
    tokenizer,
    JSON.stringify({
      ...tiny,
      added_tokens: [...tiny.added_tokens, added(35, "<|im_start|>"), added(36, "<|im_end|>")],
      model: {
        ...tiny.model,
        vocab: { ...tiny.model.vocab, "<|im_start|>": 35, "<|im_end|>": 36, Ċ: 37 },
      },
    }),
  );
  await writeFile(
    join(root, "chatml", "tokenizer_config.json"),
    JSON.stringify({ bos_token: "<|endoftext|>", chat_template: CHATML }),
  );
  await cp(PROMPTS, join(root, "prompts.jsonl"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A simulator sweep of the fixture's JSONL prompts (3 requests) at concurrency 1, on the tiny tokenizer. */
const spec = (useChatTemplate: boolean) => ({
  name: useChatTemplate ? "templated" : "plain",
  model: "dsr1",
  modelId: "deepseek-ai/DeepSeek-R1-0528",
  hardware: "h200",
  framework: "sim",
  precision: "fp8",
  scenarios: [{ workload: "jsonl", dataset: "prompts.jsonl" }],
  search: { tp: [8], concurrency: [1] },
  server: { kind: "simulator", speed: 50 },
  readiness: { timeoutS: 30, intervalS: 0.1 },
  limits: { requests: 3, warmupPerConcurrency: 0, requestTimeoutS: 60, stopGraceS: 5 },
  power: "none",
  // loose client-health bounds: a busy test machine's saturation would make the point invalid, and the sweep exit 1
  bench: { tokenizer, useChatTemplate, healthBounds: TEST_HEALTH_BOUNDS },
});

/** Runs the sweep of `spec(useChatTemplate)`; its planned dataset line and the `--max-model-len` its simulator got. */
async function sweep(useChatTemplate: boolean) {
  const specPath = join(root, `${useChatTemplate ? "templated" : "plain"}.yaml`);
  await writeFile(specPath, stringify(spec(useChatTemplate)));
  const plan = await runCli(["plan", specPath, "--json"]);
  expect(plan.code, plan.stderr).toBe(0);
  const longest = JSON.parse(plan.stdout).servers[0].dataset.longest as number;
  const out = join(root, `out-${useChatTemplate}`);
  const r = await runCli(["sweep", specPath, "--output-dir", out, "--no-ingest"]);
  expect(r.code, r.stderr).toBe(0);
  const [server] = await readdir(out);
  const file = (await readdir(join(out, server!))).find((f) => f.endsWith("-c1.json"))!;
  const point = PointResult.parse(JSON.parse(await readFile(join(out, server!, file), "utf8")));
  const maxModelLen = Number(point.run.serverCommand?.match(/--max-model-len (\d+)/)?.[1]);
  return { longest, maxModelLen, point };
}

describe("a dataset sweep with bench.useChatTemplate", () => {
  it("plans the lengths of the templated prompts: a larger maxModelLen than without the template", async () => {
    const plain = await sweep(false);
    const templated = await sweep(true);
    expect(templated.point.extra?.useChatTemplate).toMatchObject({
      template: join(root, "chatml", "tokenizer_config.json"),
    });
    // the longest entry as the server is sent it, plus the plan's margin of 256 tokens; the tiny tokenizer spells
    // "user" and "assistant" a letter a token: 20 tokens around one prompt. Before, both planned the file's bare
    // prompts: the same maxModelLen, the template's tokens left out
    expect([plain.longest, plain.maxModelLen]).toEqual([PLAIN_LONGEST, PLAIN_LONGEST + 256]);
    expect([templated.longest, templated.maxModelLen]).toEqual([
      PLAIN_LONGEST + 20,
      PLAIN_LONGEST + 20 + 256,
    ]);
  });
});

describe("a dataset sweep whose bench.tokenizer cannot render the template", () => {
  /** `plan` of the JSONL sweep with the ChatML tokenizer's folder holding `config` as its tokenizer_config.json. */
  async function planWith(folder: string, config: object) {
    await mkdir(join(root, folder));
    await cp(tokenizer, join(root, folder, "tokenizer.json"));
    await writeFile(join(root, folder, "tokenizer_config.json"), JSON.stringify(config));
    const specPath = join(root, `${folder}.yaml`);
    const s = spec(true);
    await writeFile(
      specPath,
      stringify({ ...s, bench: { ...s.bench, tokenizer: join(root, folder, "tokenizer.json") } }),
    );
    return runCli(["plan", specPath]);
  }

  it("refuses a template that cannot render a user message, in one line naming the spec's key", async () => {
    const r = await planWith("broken", {
      chat_template: "{{ raise_exception('Conversation roles must alternate') }}",
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      `infermark: bench.useChatTemplate: the chat template in ${join(root, "broken", "tokenizer_config.json")} does not render a user message (Conversation roles must alternate); fix it, or leave bench.useChatTemplate out`,
    ]);
  });

  it("refuses a tokenizer.json without a template beside it", async () => {
    const r = await planWith("bare", { bos_token: "<|endoftext|>" });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      `bench.useChatTemplate needs the model's chat template: give bench.tokenizer <path to the model's tokenizer.json> with chat_template.jinja, or tokenizer_config.json holding chat_template, beside it; there is none beside ${join(root, "bare", "tokenizer.json")}`,
    );
  });
});
