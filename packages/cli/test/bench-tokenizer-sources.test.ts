import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PointResult } from "@infermark/core";
import { createSimServer } from "@infermark/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filesUnder, REPO_ROOT, runCli, tempDir } from "./helpers.js";

const TINY = join(REPO_ROOT, "packages/bench/test/fixtures/tiny-tokenizer/tokenizer.json");
const ID = "deepseek-ai/DeepSeek-R1";
const REPO = "models--deepseek-ai--DeepSeek-R1";
const REV = "fedcba9876543210fedcba9876543210fedcba98";
const CHAT =
  "{% for m in messages %}{{ m['role'] }}:{{ m['content'] }};{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}";
/** A token the run is given in its environment, as a user who downloads gated models has one. */
const HF_TOKEN = "hf_tokenizerSourcesTestSecret0123456789";

let root: string;
let cleanup: () => Promise<void>;
/** A Hugging Face cache holding the tiny tokenizer as `deepseek-ai/DeepSeek-R1` and `gpt2`, its files linked to blobs. */
let cache: string;
/** A model's folder: tokenizer.json and tokenizer_config.json with a chat template. */
let modelDir: string;

// nothing listens there: every refusal comes before a request
const refused = ["bench", "--base-url", "http://127.0.0.1:9", "--model", "m"];
const level = ["--isl", "64", "--osl", "4", "--concurrency", "1", "--power", "none"];

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir("infermark-tokenizer-sources-"));
  const tiny = await readFile(TINY, "utf8");
  const config = JSON.stringify({ chat_template: CHAT });
  modelDir = join(root, "models", "DeepSeek-R1");
  await mkdir(modelDir, { recursive: true });
  await writeFile(join(modelDir, "tokenizer.json"), tiny);
  await writeFile(join(modelDir, "tokenizer_config.json"), config);
  cache = join(root, "hub");
  for (const repo of [REPO, "models--gpt2"]) {
    const snapshot = join(cache, repo, "snapshots", REV);
    await mkdir(snapshot, { recursive: true });
    await mkdir(join(cache, repo, "blobs"));
    await mkdir(join(cache, repo, "refs"));
    await writeFile(join(cache, repo, "refs", "main"), REV);
    for (const [file, text] of [
      ["tokenizer.json", tiny],
      ["tokenizer_config.json", config],
    ] as const) {
      await writeFile(join(cache, repo, "blobs", file), text);
      await symlink(join("..", "..", "blobs", file), join(snapshot, file));
    }
  }
});
afterAll(async () => {
  await cleanup();
});

describe("infermark bench --tokenizer as vllm bench serve takes it", () => {
  it("refuses what is not on disk in one line, naming what it tried, writing nothing", async () => {
    const out = join(root, "refused");
    const empty = join(root, "empty-hub");
    const weightsOnly = join(root, "weights-only");
    await mkdir(weightsOnly);
    const fix = (id: string) =>
      `infermark never downloads: run \`huggingface-cli download ${id} tokenizer.json tokenizer_config.json\` or pass a tokenizer.json or a model's folder`;
    const cases: [string, Record<string, string>, string][] = [
      [
        ID,
        { HF_HUB_CACHE: empty },
        `--tokenizer: ${ID} is no file or folder here and the Hugging Face cache (${empty}, $HF_HUB_CACHE) has no ${REPO}; infermark never downloads: run \`huggingface-cli download ${ID} tokenizer.json tokenizer_config.json\` or pass a tokenizer.json or a model's folder`,
      ],
      [
        ID,
        { HF_HUB_CACHE: "", HF_HOME: join(root, "hf-home") },
        `--tokenizer: ${ID} is no file or folder here and the Hugging Face cache (${join(root, "hf-home", "hub")}, $HF_HOME/hub) has no ${REPO}; infermark never downloads: run \`huggingface-cli download ${ID} tokenizer.json tokenizer_config.json\` or pass a tokenizer.json or a model's folder`,
      ],
      // the legacy variable TGI's images set, after $VAR expansion as huggingface_hub does
      [
        ID,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's ${VAR}, as a user writes it
        { HF_HUB_CACHE: "", HUGGINGFACE_HUB_CACHE: "${IM_ROOT}/empty-hub", IM_ROOT: root },
        `--tokenizer: ${ID} is no file or folder here and the Hugging Face cache (${empty}, $HUGGINGFACE_HUB_CACHE) has no ${REPO}; ${fix(ID)}`,
      ],
      // a one-part id is looked up, not refused as a path
      [
        "t5-small",
        { HF_HUB_CACHE: "$IM_ROOT/empty-hub", IM_ROOT: root },
        `--tokenizer: t5-small is no file or folder here and the Hugging Face cache (${empty}, $HF_HUB_CACHE) has no models--t5-small; ${fix("t5-small")}`,
      ],
      [
        weightsOnly,
        {},
        `--tokenizer: the folder ${weightsOnly} holds no tokenizer.json; give the model's folder or its tokenizer.json`,
      ],
      [
        "./tokenizer.json",
        {},
        "--tokenizer: ./tokenizer.json: no such file or folder (give builtin, server, a tokenizer.json, a model's folder holding one, or a Hugging Face id, org/name or name, in the local cache)",
      ],
      [
        "tokenizer.json",
        {},
        "--tokenizer: tokenizer.json: no such file or folder (give builtin, server, a tokenizer.json, a model's folder holding one, or a Hugging Face id, org/name or name, in the local cache)",
      ],
    ];
    const results = await Promise.all(
      cases.map(([spec, env]) =>
        runCli([...refused, ...level, "--tokenizer", spec, "--output-dir", out], {
          cwd: root,
          env,
        }),
      ),
    );
    for (const [i, r] of results.entries()) {
      expect([r.code, r.stdout, r.stderr], cases[i]![0]).toEqual([
        1,
        "",
        `infermark: ${cases[i]![2]}\n`,
      ]);
    }
    // nothing written: no file under the output folder (seven runs at once may leave it created, and empty)
    expect(
      await filesUnder(out).catch((error: Error) =>
        /ENOENT/.test(error.message) ? [] : error.message,
      ),
    ).toEqual([]);
  });

  it("reads a model's folder and a cached Hugging Face id, each point naming what reproduces it", async () => {
    const sim = createSimServer({ sim: { model: "dsr1", hardware: "h200", tp: 8 }, speed: 50 });
    const { port } = await sim.listen(0);
    try {
      const run = async (spec: string, out: string, env: Record<string, string> = {}) => {
        const r = await runCli(
          [
            ...["bench", "--base-url", `http://127.0.0.1:${port}`, "--model", "dsr1"],
            ...["--api", "chat", "--isl", "32", "--osl", "4", "--concurrency", "1"],
            ...["--num-requests", "2", "--warmup", "0", "--gpus", "8", "--power", "none"],
            ...["--max-client-lag", "100000", "--tokenizer", spec, "--output-dir", out],
          ],
          { cwd: root, env: { HF_HUB_CACHE: cache, HF_TOKEN, ...env } },
        );
        expect(r.code, r.stderr).toBe(0);
        const point = PointResult.parse(
          JSON.parse(await readFile(join(out, "point-c1.json"), "utf8")),
        );
        const files = await filesUnder(out);
        expect(files.filter(([, text]) => text.includes(HF_TOKEN)).map(([f]) => f)).toEqual([]);
        return [point.extra?.tokenizer, point.extra?.chatTemplate];
      };
      expect(await run(modelDir, join(root, "from-folder"))).toEqual([
        `hf:${modelDir}`,
        join(modelDir, "tokenizer_config.json"),
      ]);
      // the absolute path: the relative one means nothing on another machine
      expect(await run("models/DeepSeek-R1", join(root, "from-relative"))).toEqual([
        `hf:${modelDir}`,
        join(root, "models", "DeepSeek-R1", "tokenizer_config.json"),
      ]);
      // the id and the snapshot read, never the folder of the same name
      expect(await run(ID, join(root, "from-cache"))).toEqual([
        `hf:${ID}@${REV}`,
        join(cache, REPO, "snapshots", REV, "tokenizer_config.json"),
      ]);
      expect(
        await run("gpt2", join(root, "from-legacy-cache"), {
          HF_HUB_CACHE: "",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's ${VAR}, as a user writes it
          HUGGINGFACE_HUB_CACHE: "${IM_ROOT}/hub",
          IM_ROOT: root,
        }),
      ).toEqual([
        `hf:gpt2@${REV}`,
        join(cache, "models--gpt2", "snapshots", REV, "tokenizer_config.json"),
      ]);
    } finally {
      await sim.close();
    }
  });
});
