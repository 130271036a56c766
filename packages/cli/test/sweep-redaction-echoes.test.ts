import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { freePort } from "../src/sweep/free-port.js";
import { filesUnder, runCli, tempDir } from "./helpers.js";
import { TINY_CATALOG, tinySpec } from "./tiny-spec.js";

// What a server says of the secrets a sweep knows, in the places the value rules did not reach: a URL's password that
// no secret's name holds (a proxy variable, a database URL in a startup banner), the password inside a Basic
// credential the command sends, and the sweep's secrets echoed in an error body, which the load generator records in
// the point. Each is hidden in every file the sweep writes and in what it prints; a password that is a common word
// (`infermark`) is hidden in its URL only, not in every path that holds the word.

const PROXY_PW = "pw-proxy-4601";
const DB_PW = "pw-db-4602";
const BASIC_PW = "pw-basic-4603";
const BASIC = Buffer.from(`alice:${BASIC_PW}`).toString("base64");
const HF = "hf_env-token-4604";
const SPEC_ENV_KEY = "wandb-spec-env-4605";
const CMD_TOKEN = "hf-cmd-token-4606";
const ENV = {
  INFERMARK_CATALOG: TINY_CATALOG,
  HF_TOKEN: HF,
  HTTPS_PROXY: `http://u:${PROXY_PW}@proxy:3128`,
};

/** Where each of `secrets` stands in the files under `dir` and in the output, as `where: secret`. */
async function leaks(
  dir: string,
  out: { stdout: string; stderr: string },
  secrets: readonly string[],
): Promise<string[]> {
  const files = [
    ...(await filesUnder(dir)),
    ["stdout", out.stdout] as const,
    ["stderr", out.stderr] as const,
  ];
  return files.flatMap(([where, text]) =>
    secrets.filter((s) => text.includes(s)).map((s) => `${where}: ${s}`),
  );
}

const SERVER_DIR = "tiny-h200-vllm-fp8-tp1-32x8";

describe("a server's echoes of the sweep's secrets: hidden in every file and message, and nothing else", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-redaction-echoes-"));
  });
  afterAll(() => cleanup());

  it("a URL's password printed by a dying server (a proxy variable, a banner's database URL) and a Basic credential's password: *** in its log and failure records", async () => {
    // the URLs reach the server in variables no secret's name holds, as a banner prints what it connects to
    const printed = [
      'echo "proxy $HTTPS_PROXY"',
      'echo "db $DATABASE_URL and $CACHE_URL"',
      `echo "auth failed for alice:${BASIC_PW} (${BASIC_PW})"`,
    ].join("; ");
    const command = `: curl -H 'Authorization: Basic ${BASIC}' http://gw; ${printed}; exit 3`;
    const env = {
      DATABASE_URL: `postgres://app:${DB_PW}@db:5432/x`,
      CACHE_URL: "redis://infermark:infermark@kv:6379",
    };
    const spec = tinySpec(await freePort());
    const path = join(dir, "dying.yaml");
    await writeFile(path, stringify({ ...spec, server: { ...spec.server, command, env } }));
    const out = join(dir, "dying");
    const r = await runCli(["sweep", path, "--output-dir", out, "--no-ingest"], { env: ENV });
    // the folder's name holds `infermark`, the password of the banner's second URL: shown as it is
    expect([r.code, r.stdout.split("\n")[0]]).toEqual([
      1,
      `0 measured, 0 already measured, 2 failed; results in ${out}`,
    ]);
    const shown = [
      "proxy http://u:***@proxy:3128",
      "db postgres://app:***@db:5432/x and redis://infermark:***@kv:6379",
      "auth failed for *** (***)",
    ];
    const said = (lines: string[]) => lines.filter((l) => /^(?:proxy|db|auth) /.test(l));
    const log = await readFile(join(out, SERVER_DIR, "server.log"), "utf8");
    expect(said(log.split("\n"))).toEqual(shown);
    const failure = JSON.parse(
      await readFile(join(out, SERVER_DIR, `${SERVER_DIR}-c1.failed.json`), "utf8"),
    );
    expect(said(failure.logTail.split("\n"))).toEqual(shown);
    expect(r.stderr.split("\n")[0]).toBe(
      `start   ${SERVER_DIR}: : curl -H 'Authorization: Basic ***' http://gw; ${printed.replace(`alice:${BASIC_PW}`, "***").replace(BASIC_PW, "***")}; exit 3`,
    );
    expect(await leaks(out, r, [PROXY_PW, DB_PW, BASIC_PW, BASIC])).toEqual([]);
  });

  it("the sweep's secrets echoed in an error body: *** in the PointResult's samples and the request records", async () => {
    // a server that is ready, then refuses each completion echoing the token it was given and its arguments
    const server = join(dir, "echo-server.mjs");
    await writeFile(
      server,
      `import { createServer } from "node:http";
const port = Number(process.argv[process.argv.indexOf("--port") + 1]);
const token = process.argv[process.argv.indexOf("--hf-token") + 1];
const json = (res, status, body) => { res.writeHead(status, { "content-type": "application/json" }); res.end(JSON.stringify(body)); };
createServer(async (req, res) => {
  for await (const _ of req);
  if (req.url === "/health") return json(res, 200, {});
  if (req.url === "/v1/models") return json(res, 200, { object: "list", data: [{ id: "tiny-model", object: "model" }] });
  if (req.url === "/v1/completions") return json(res, 403, { error: \`refused \${process.env.HF_TOKEN} \${process.env.WANDB_API_KEY} \${token}\` });
  json(res, 404, { error: "not found" });
}).listen(port, "127.0.0.1");
`,
    );
    const spec = tinySpec(await freePort(), {
      search: { tp: [1], concurrency: [1] },
      saveRequests: true,
    });
    const path = join(dir, "echo.yaml");
    const command = `node ${server} --port {{port}} --hf-token ${CMD_TOKEN}`;
    await writeFile(
      path,
      stringify({
        ...spec,
        server: { ...spec.server, command, env: { WANDB_API_KEY: SPEC_ENV_KEY } },
      }),
    );
    const out = join(dir, "echo");
    const r = await runCli(["sweep", path, "--output-dir", out, "--no-ingest"], {
      env: ENV,
    });
    // every request refused: the point is measured, invalid (over 5% errors), and the sweep exits 1 for it
    expect([r.code, r.stdout.split("\n")[0]]).toEqual([
      1,
      `1 measured (1 invalid), 0 already measured, 0 failed; results in ${out}`,
    ]);
    const point = JSON.parse(
      await readFile(join(out, SERVER_DIR, `${SERVER_DIR}-c1.json`), "utf8"),
    );
    expect([point.errors.total, point.errors.samples]).toEqual([
      2,
      [
        'http_status: HTTP 403: {"error":"refused *** *** ***"}',
        'http_status: HTTP 403: {"error":"refused *** *** ***"}',
      ],
    ]);
    const records = (
      await readFile(join(out, SERVER_DIR, `${SERVER_DIR}-c1.requests.jsonl`), "utf8")
    )
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).error?.message);
    expect(records).toEqual([
      'HTTP 403: {"error":"refused *** *** ***"}',
      'HTTP 403: {"error":"refused *** *** ***"}',
    ]);
    expect(await leaks(out, r, [HF, SPEC_ENV_KEY, CMD_TOKEN])).toEqual([]);
  });
});
