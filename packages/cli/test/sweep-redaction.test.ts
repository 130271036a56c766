import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { freePort } from "../src/sweep/free-port.js";
import { runCli, tempDir } from "./helpers.js";
import { TINY_CATALOG, tinySpec } from "./tiny-spec.js";

// A sweep's commands, log tails and failure records are published (CI artifacts, a shared cluster's folders): every
// secret in them is hidden, and nothing else. Before, TOKENIZERS_PARALLELISM=false, which Hugging Face tooling sets,
// was taken for a secret, and every `false` in them became `***`.

const HF = "hf_the-real-token-31";
const ENV = { TOKENIZERS_PARALLELISM: "false", HF_TOKEN: HF, INFERMARK_CATALOG: TINY_CATALOG };
/** Flags that hold no secret, as an engine's command line has them. */
const PLAIN =
  "--enforce-eager false --max-tokens 1024 --tokenizer /models/tok --tokenizer-mode auto --api-key-env NAME --enable-auto-tool-choice --kv-cache-dtype fp8";
/** Secrets written in a command in the forms that were kept before, and each as it is recorded. */
const WRITTEN: [string, string][] = [
  ["--api_key sk-under-1", "--api_key ***"],
  ["--apikey sk-joined-2", "--apikey ***"],
  ["--passwd pw-passwd-3", "--passwd ***"],
  ["--access-key ak-access-4", "--access-key ***"],
  ["hf_token=hf-lower-5", "hf_token=***"],
  ["--redis-url redis://kv:pw-url-6@h:6379", "--redis-url redis://kv:***@h:6379"],
];
const SECRETS = [
  HF,
  "sk-under-1",
  "sk-joined-2",
  "pw-passwd-3",
  "ak-access-4",
  "hf-lower-5",
  "pw-url-6",
];

describe("secrets in a sweep's commands, logs and failure records: hidden, and nothing else", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-redaction-"));
  });
  afterAll(() => cleanup());

  /** The tiny engine's spec with `command` as its server's. */
  async function specWith(name: string, command: string): Promise<string> {
    const spec = tinySpec(await freePort());
    const path = join(dir, `${name}.yaml`);
    await writeFile(path, stringify({ ...spec, server: { ...spec.server, command } }));
    return path;
  }

  it("plan --json shows each secret of a command as *** and every other value as written", async () => {
    const spec = await specWith(
      "plan",
      `serve ${PLAIN} ${WRITTEN.map(([w]) => w).join(" ")} --hf-token ${HF}`,
    );
    const r = await runCli(["plan", spec, "--json"], { env: ENV });
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout).servers[0].command).toBe(
      `serve ${PLAIN} ${WRITTEN.map(([, shown]) => shown).join(" ")} --hf-token ***`,
    );
  });

  it("a server that prints its arguments and dies: its log and failure records keep `false`, hide the secrets", async () => {
    // as an engine prints its arguments and environment at start
    const printed = `args: ${PLAIN} ${WRITTEN.map(([w]) => w).join(" ")} hf=$HF_TOKEN`;
    const spec = await specWith("dying", `echo "${printed}"; exit 3`);
    const out = join(dir, "dying");
    const r = await runCli(["sweep", spec, "--output-dir", out, "--no-ingest"], { env: ENV });
    expect([r.code, r.stdout.split("\n")[0]]).toEqual([
      1,
      `0 measured, 0 already measured, 2 failed; results in ${out}`,
    ]);
    const shown = `args: ${PLAIN} ${WRITTEN.map(([, s]) => s).join(" ")} hf=***`;
    const serverDir = join(out, "tiny-h200-vllm-fp8-tp1-32x8");
    const failure = JSON.parse(
      await readFile(join(serverDir, "tiny-h200-vllm-fp8-tp1-32x8-c1.failed.json"), "utf8"),
    );
    expect(failure.logTail.split("\n").filter((l: string) => l.startsWith("args:"))).toEqual([
      shown,
    ]);
    // the command as the sweep printed it when it started the server, and the log's first line
    const start = `echo "args: ${PLAIN} ${WRITTEN.map(([, s]) => s).join(" ")} hf=$HF_TOKEN"; exit 3`;
    expect(r.stderr.split("\n")[0]).toBe(`start   tiny-h200-vllm-fp8-tp1-32x8: ${start}`);
    const log = await readFile(join(serverDir, "server.log"), "utf8");
    expect(log.split("\n")[0]!.replace(/^# infermark: \S+ /, "")).toBe(
      `starting tiny-h200-vllm-fp8-tp1-32x8: ${start}`,
    );
    for (const file of await readdir(serverDir)) {
      const text = await readFile(join(serverDir, file), "utf8");
      expect([file, SECRETS.filter((s) => text.includes(s))]).toEqual([file, []]);
    }
    expect(SECRETS.filter((s) => r.stdout.includes(s) || r.stderr.includes(s))).toEqual([]);
  });
  it("plan --json keeps the flag after a secret flag given no value, and hides a credential header's value", async () => {
    // before: `--hf-token *** 8000` (the `--port` taken for the token's value), and the header's token as written
    const spec = await specWith(
      "headers",
      `bash -c 'curl -sf -H "Authorization: Bearer sk-hdr-secret-9" -H "X-Api-Key: k-hdr-secret-8" http://h; serve --hf-token --port 8000 --enforce-eager'`,
    );
    const r = await runCli(["plan", spec, "--json"], { env: ENV });
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout).servers[0].command).toBe(
      `bash -c 'curl -sf -H "Authorization: Bearer ***" -H "X-Api-Key: ***" http://h; serve --hf-token --port 8000 --enforce-eager'`,
    );
  });

  it("a server that prints a credential header's token: hidden in its log and failure records", async () => {
    const token = "sk-hdr-secret-7";
    const spec = await specWith(
      "header-log",
      `echo "got ${token}"; exit 3; curl -H 'Authorization: Bearer ${token}' http://h`,
    );
    const out = join(dir, "header-log");
    const r = await runCli(["sweep", spec, "--output-dir", out, "--no-ingest"], { env: ENV });
    expect([r.code, r.stderr.split("\n")[0]]).toEqual([
      1,
      `start   tiny-h200-vllm-fp8-tp1-32x8: echo "got ***"; exit 3; curl -H 'Authorization: Bearer ***' http://h`,
    ]);
    const serverDir = join(out, "tiny-h200-vllm-fp8-tp1-32x8");
    const log = await readFile(join(serverDir, "server.log"), "utf8");
    expect(log.split("\n").filter((l) => l.startsWith("got"))).toEqual(["got ***"]);
    for (const file of await readdir(serverDir)) {
      const text = await readFile(join(serverDir, file), "utf8");
      expect([file, text.includes(token)]).toEqual([file, false]);
    }
    expect(r.stdout.includes(token) || r.stderr.includes(token)).toBe(false);
  });

  it("refuses a header named the wrong way round in bench.headers without repeating the name", async () => {
    // before: `bench.headers.Bearer hf_the-real-token-31: a credential in a spec file is committed with it; ...`, and
    // `bench: --header: "Bearer sk-plain-77" is not a header name`
    for (const name of [`Bearer ${HF}`, "Bearer sk-plain-77"]) {
      const spec = tinySpec(await freePort(), {
        bench: { headers: { "X-Team": "t", [name]: "authorization" } },
      });
      const path = join(dir, "header.yaml");
      await writeFile(path, stringify(spec));
      const r = await runCli(["plan", path], { env: ENV });
      expect([r.code, r.stdout, r.stderr]).toEqual([
        1,
        "",
        "infermark: bench.headers: the name of header 2 has a space (a header name is one word, as Authorization) (the name is not shown: it may hold a credential)\n",
      ]);
    }
  });
});
