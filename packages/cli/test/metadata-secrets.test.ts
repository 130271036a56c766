import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { runCli, tempDir } from "./helpers.js";
import { TINY_CATALOG, tinySpec } from "./tiny-spec.js";

// `--metadata` (and a spec's bench.metadata) is kept for the record in every PointResult, which is published: a pair
// whose key names a secret as a variable's name does (HF_TOKEN=hf_...) is refused in one line that names the flag and
// the key, never the value; a setting whose name holds a secret's word (TOKENIZERS_PARALLELISM=false) is kept.

const TOKEN = "hf_meta-token-4701";
const KEY = "sk-meta-key-4702";

describe("--metadata: a key that names a secret is refused, its value shown nowhere", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-metadata-secrets-"));
  });
  afterAll(() => cleanup());

  it("infermark bench: exit 2 before anything is sent or written, naming --metadata and the key", async () => {
    const out = join(dir, "bench");
    const common = [
      "bench",
      ...["--base-url", "http://127.0.0.1:9", "--model", "m", "--isl", "8", "--osl", "2"],
      ...["--concurrency", "1", "--output-dir", out, "--metadata", "driver=570.86"],
    ];
    for (const [pair, key] of [
      [`HF_TOKEN=${TOKEN}`, "HF_TOKEN"],
      [`openai_api_key = ${KEY}`, "openai_api_key"],
    ] as const) {
      const r = await runCli([...common, "--metadata", pair]);
      expect([r.code, r.stdout, r.stderr]).toEqual([
        2,
        "",
        `infermark: --metadata: ${key} names a secret, which a result would publish; leave it out (the value is not shown)\n`,
      ]);
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it("a sweep spec's bench.metadata: refused at plan time the same way; a setting named with a secret's word is kept", async () => {
    const spec = (metadata: Record<string, string>) => {
      const s = tinySpec(8000, { bench: { metadata } });
      return stringify({ ...s, server: { ...s.server, command: "exit 3" } });
    };
    const secret = join(dir, "secret.yaml");
    await writeFile(secret, spec({ HF_TOKEN: TOKEN }));
    const env = { INFERMARK_CATALOG: TINY_CATALOG };
    const refused = await runCli(["plan", secret], { env });
    expect([refused.code, refused.stdout, refused.stderr]).toEqual([
      1,
      "",
      "infermark: bench.metadata: HF_TOKEN names a secret, which a result would publish; leave it out (the value is not shown)\n",
    ]);
    const plain = join(dir, "plain.yaml");
    await writeFile(plain, spec({ TOKENIZERS_PARALLELISM: "false", max_tokens: "8192" }));
    const kept = await runCli(["plan", plain], { env });
    expect([kept.code, kept.stderr]).toEqual([0, ""]);
  });
});
