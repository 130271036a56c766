// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is what a spec writes in a header for an environment variable, ${{ }} a GitHub Actions expression
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { PointResult } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { freePort } from "../src/sweep/free-port.js";
import { externalSpec } from "./external-spec.js";
import { filesUnder, runCli, tempDir } from "./helpers.js";
import { TINY_CATALOG, tinySpec } from "./tiny-spec.js";
import { findStep, type Workflow } from "./workflow-steps.js";

// A sweep against a server that wants an API key (as vLLM's --api-key: every /v1 route, the model list included),
// the key read from the environment as `infermark bench` reads it, and written nowhere.

const KEY = "sk-live-from-the-environment-5501";
const NO_KEY = { INFERMARK_API_KEY: "", OPENAI_API_KEY: "", INFERMARK_CATALOG: TINY_CATALOG };

/**
 * One configuration of one level, whose server prints `$variable` (as engines print their arguments) and wants it
 * as `Authorization: Bearer`.
 */
async function writeSpec(
  path: string,
  variable: string,
  bench: Record<string, unknown> = {},
  before = "",
) {
  const spec = tinySpec(await freePort(), {
    name: "keyed",
    scenarios: [{ isl: 32, osl: 4, rangeRatio: 1 }],
    search: { tp: [1], concurrency: [2] },
    limits: { requestsPerConcurrency: 3, warmupPerConcurrency: 0, stopGraceS: 2 },
    bench,
  });
  spec.server.command = `${before}echo "engine args: api_key=$${variable}" && ${spec.server.command} --api-key-env ${variable}`;
  await writeFile(path, stringify(spec));
}

/** The token a gateway wants, in a variable whose name does not look secret (its value is redacted all the same). */
const TOKEN = "gw-token-from-the-environment-7713";
/** Headers that send the gateway's token, from its variable. */
const HEADERS = { Authorization: "Bearer ${GATEWAY_AUTH}", "X-Api-Key": "${GATEWAY_AUTH}" };

describe("infermark sweep against a server that wants a key: read from the environment, written nowhere", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-key-"));
    // a repository, for the GitHub executor's workflow
    await mkdir(join(dir, ".git"));
  });
  afterAll(() => cleanup());

  /**
   * Sweeps `writeSpec(variable, bench)` into `<dir>/<name>` with `$variable` set to `secret`, expects its point
   * measured without an error (the server answers 401 to a request without the key), and `secret` in no file the
   * sweep wrote nor in what it printed. Returns the spec's path, the output folder and the point.
   */
  async function sweepWithSecret(
    name: string,
    variable: string,
    bench: Record<string, unknown>,
    secret: string,
  ) {
    const spec = join(dir, `${name}.yaml`);
    await writeSpec(spec, variable, bench);
    const out = join(dir, name);
    const r = await runCli(["sweep", spec, "--output-dir", out, "--no-ingest"], {
      env: { ...NO_KEY, [variable]: secret },
    });
    expect([r.code, r.stdout]).toEqual([
      0,
      `1 measured, 0 already measured, 0 failed; results in ${out}\n`,
    ]);
    const files = await filesUnder(out);
    const point = PointResult.parse(
      JSON.parse(files.find(([path]) => path.endsWith("-c2.json"))![1]),
    );
    expect([point.errors.total, point.metrics.completed]).toEqual([0, 6]);
    const log = files.find(([path]) => path.endsWith("server.log"))![1];
    expect(log).toContain("engine args: api_key=***\n");
    for (const [path, text] of files) expect([path, text.includes(secret)]).toEqual([path, false]);
    expect(r.stdout.includes(secret) || r.stderr.includes(secret)).toBe(false);
    return { spec, out, point };
  }

  it.each([
    ["INFERMARK_API_KEY", {}],
    ["OPENAI_API_KEY", {}],
    // a name that does not look secret: its value is redacted all the same
    ["GATEWAY_AUTH", { apiKeyEnv: "GATEWAY_AUTH" }],
  ])("sends the key of $%s with every request and writes it nowhere", async (variable, bench) => {
    // before, no key was sent: every request answered 401 ("errors 6 (invalid)")
    await sweepWithSecret(variable, variable, bench, KEY);
  });

  it.each([
    ["bench.apiKeyEnv", { apiKeyEnv: "GATEWAY_AUTH" }],
    ["bench.headers.Authorization", { headers: HEADERS }],
  ])(
    "refuses a variable of %s that is not set before any server starts; plans without it",
    async (option, bench) => {
      const spec = join(dir, "unset.yaml");
      const marker = join(dir, "unset-started");
      await writeSpec(spec, "GATEWAY_AUTH", bench, `touch ${marker} && `);
      const r = await runCli(["sweep", spec, "--output-dir", join(dir, "unset"), "--no-ingest"], {
        env: NO_KEY,
      });
      expect([r.code, r.stdout, r.stderr]).toEqual([
        1,
        "",
        `infermark: ${option}: environment variable GATEWAY_AUTH is not set\n`,
      ]);
      await expect(readFile(marker)).rejects.toThrow(/ENOENT/);
      // a CI plan job has no secrets
      const planned = await runCli(["plan", spec], { env: NO_KEY });
      expect([planned.code, planned.stderr]).toEqual([0, ""]);
    },
  );

  it("refuses a key written in the spec file, in one line that does not repeat it", async () => {
    const spec = join(dir, "literal.yaml");
    await writeSpec(spec, "INFERMARK_API_KEY", { apiKey: KEY });
    const out = ["--output-dir", join(dir, "literal")];
    for (const args of [
      ["plan", spec],
      ["sweep", spec, ...out],
    ]) {
      const r = await runCli(args, { env: NO_KEY });
      expect([args[0], r.code, r.stderr]).toEqual([
        args[0],
        1,
        "infermark: bench.apiKey: a key in a spec file is committed with it; export it in an environment variable and name that with bench.apiKeyEnv (default INFERMARK_API_KEY, else OPENAI_API_KEY)\n",
      ]);
    }
  });

  it("sends a header's ${NAME} from the environment with every request, writes it nowhere, and keeps the fingerprints", async () => {
    // before, "Bearer ${GATEWAY_AUTH}" went as written: the model list answered 401 and the server was never ready
    const { spec, out, point } = await sweepWithSecret(
      "headers",
      "GATEWAY_AUTH",
      { headers: HEADERS },
      TOKEN,
    );
    // the point is the same whatever the variable holds: planned, and resumed, with another token
    const env = { ...NO_KEY, GATEWAY_AUTH: "gw-another-token-8824" };
    const planned = await runCli(["plan", spec, "--json"], { env });
    expect(planned.code).toBe(0);
    expect(planned.stdout).not.toContain("gw-another-token-8824");
    const fingerprints = JSON.parse(planned.stdout).servers[0].points.map(
      (p: { fingerprint: string }) => p.fingerprint,
    );
    expect(fingerprints).toEqual([point.run.specFingerprint]);
    const again = await runCli(["sweep", spec, "--output-dir", out, "--no-ingest"], { env });
    expect([again.code, again.stdout]).toEqual([
      0,
      `0 measured, 1 already measured, 0 failed; results in ${out}\n`,
    ]);
  });

  it.each([
    ["Authorization", `Bearer ${TOKEN}`],
    ["X-Api-Key", TOKEN],
    ["Cookie", `session=${TOKEN}`],
  ])(
    "refuses a literal %s in the spec file, naming the header, not the value",
    async (name, value) => {
      const spec = join(dir, `literal-${name}.yaml`);
      const marker = join(dir, `literal-${name}-started`);
      await writeSpec(spec, "GATEWAY_AUTH", { headers: { [name]: value } }, `touch ${marker} && `);
      for (const args of [
        ["plan", spec, "--json"],
        ["sweep", spec, "--output-dir", join(dir, `literal-${name}`)],
        ["sweep", spec, "--executor", "github", "--workflow", join(dir, "never.yml")],
      ]) {
        const r = await runCli(args, { env: { ...NO_KEY, GATEWAY_AUTH: TOKEN }, cwd: dir });
        // before, each was taken: sent, and only redacted from what the sweep wrote
        expect([args.join(" "), r.code, r.stdout, r.stderr]).toEqual([
          args.join(" "),
          1,
          "",
          `infermark: bench.headers.${name}: a credential in a spec file is committed with it; export it in an environment variable and write \${NAME} in its place (as "Bearer \${NAME}" where a scheme goes before it)\n`,
        ]);
      }
      await expect(readFile(marker)).rejects.toThrow(/ENOENT/);
    },
  );

  it("GitHub: the measuring step sets a header's variable from the secret of its name, never its value", async () => {
    const spec = join(dir, "workflow.yaml");
    await writeSpec(spec, "GATEWAY_AUTH", { headers: HEADERS });
    const workflow = join(dir, "workflow.yml");
    const r = await runCli(["sweep", spec, "--executor", "github", "--workflow", workflow], {
      env: { ...NO_KEY, GATEWAY_AUTH: TOKEN },
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(workflow, "utf8");
    expect(text).not.toContain(TOKEN);
    // before, the step had the API key's variable alone: the job's sweep refused the spec, GATEWAY_AUTH unset
    expect(findStep(parseYaml(text) as Workflow, "sweep", "Measure").env).toEqual({
      HF_TOKEN: "${{ secrets.HF_TOKEN }}",
      INFERMARK_API_KEY: "${{ secrets.INFERMARK_API_KEY }}",
      GATEWAY_AUTH: "${{ secrets.GATEWAY_AUTH }}",
    });
  });

  it("refuses a user and password in an external server's URL in one line, sending nothing", async () => {
    const PASSWORD = "pw-in-the-url-3391";
    // a real endpoint, which counts what reaches it
    let requests = 0;
    const server = createServer((_, res) => {
      requests++;
      res.writeHead(401).end();
    });
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
    try {
      const { port } = server.address() as AddressInfo;
      const external = externalSpec({});
      const spec = join(dir, "basic.yaml");
      await writeFile(
        spec,
        stringify({
          ...external,
          server: { kind: "external", baseUrl: `http://me:${PASSWORD}@127.0.0.1:${port}` },
          readiness: { ...external.readiness, timeoutS: 2, intervalS: 0.1 },
          power: "none",
        }),
      );
      const out = join(dir, "basic");
      for (const args of [
        ["plan", spec, "--json"],
        ["sweep", spec, "--output-dir", out, "--no-ingest"],
      ]) {
        const r = await runCli(args, { env: NO_KEY });
        // before, the sweep waited for readiness.timeoutS (30 minutes by default): fetch refuses such a URL, and
        // "server not ready (last: /health: no answer)" said nothing of why
        expect([args[0], r.code, r.stdout, r.stderr]).toEqual([
          args[0],
          1,
          "",
          'infermark: server.baseUrl: a user and password in a spec file are committed with it; give the URL without them, and the credentials from the environment: bench.headers Authorization: "Basic ${NAME}" (NAME holding base64 of user:password), or an API key (bench.apiKeyEnv)\n',
        ]);
      }
      await expect(readdir(out)).rejects.toThrow(/ENOENT/);
      expect(requests).toBe(0);
    } finally {
      await new Promise((res) => server.close(res));
    }
  });
});
