import { readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers.js";

// `infermark bench` with a user and password in --base-url: sent as Basic with every request, never written.

const PASSWORD = "pw-secret-8899";
/** The password as it stands in the URL (`@`, `:` and a space percent-encoded) and as the user meant it. */
const ENCODED = `${PASSWORD}%40%3A%20x`;
const TYPED = `${PASSWORD}@: x`;
const BASIC = `Basic ${Buffer.from(`me:${TYPED}`).toString("base64")}`;
const NO_KEY = { INFERMARK_API_KEY: "", OPENAI_API_KEY: "" };

let server: Server;
let url: string;
const seen: { path: string; authorization?: string }[] = [];

beforeAll(async () => {
  // model "deny" answers 401 echoing the credentials it got; GETs other than /metrics answer 404
  server = createServer(async (req, res) => {
    seen.push({ path: req.url ?? "", authorization: req.headers.authorization });
    if (req.method === "GET") {
      if (req.url === "/metrics") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("vllm:request_success_total 1\n");
      } else res.writeHead(404).end();
      return;
    }
    let body = "";
    for await (const c of req) body += c;
    if (JSON.parse(body).model === "deny") {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `bad credentials ${req.headers.authorization}` }));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(
      `data: ${JSON.stringify({ choices: [{ text: " w0 w1", finish_reason: "length" }] })}\n\n`,
    );
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const level = (baseUrl: string, out: string, model = "m") => [
  "bench",
  ...["--base-url", baseUrl, "--model", model, "--isl", "8", "--osl", "2", "--range-ratio", "1"],
  ...["--concurrency", "1", "--num-requests", "2", "--warmup", "0", "--max-client-lag", "100000"],
  ...["--output-dir", out, "--save-requests", "--framework-version", "0"],
];

describe("infermark bench: a user and password in --base-url", () => {
  it("are sent as Basic with each request and /metrics; refused at once by the server, they appear nowhere", async () => {
    const dir = await tempDir("infermark-credentials-");
    try {
      const withUser = url.replace("http://", `http://me:${ENCODED}@`);
      seen.length = 0;
      const ok = await runCli([...level(withUser, join(dir.dir, "ok")), "--json"], {
        env: NO_KEY,
      });
      expect(ok.code).toBe(0);
      // the test request, the model list, /metrics before and after the level, the level's two requests
      expect(seen.map((s) => s.path).sort()).toEqual([
        "/metrics",
        "/metrics",
        "/v1/completions",
        "/v1/completions",
        "/v1/completions",
        "/v1/models",
      ]);
      expect(seen.map((s) => s.authorization)).toEqual(seen.map(() => BASIC));

      // a server that echoes them: the test request fails with one line, and measured anyway, the level is invalid
      const stopped = await runCli(level(withUser, join(dir.dir, "stopped"), "deny"), {
        env: NO_KEY,
      });
      expect(stopped.code).toBe(1);
      expect(stopped.stderr.trim()).toBe(
        `infermark: the test request to ${url.replace("http://", "http://me:***@")} failed before the run (http_status: HTTP 401: {"error":"bad credentials Basic ***"}); check the API key, or pass --no-preflight to measure anyway`,
      );
      const denied = await runCli(
        [...level(withUser, join(dir.dir, "denied"), "deny"), "--no-preflight", "--json"],
        { env: NO_KEY },
      );
      expect(denied.code).toBe(1);
      expect(JSON.parse(denied.stdout).levels[0].point.errors.samples[0]).toBe(
        'http_status: HTTP 401: {"error":"bad credentials Basic ***"}',
      );
      const files: string[] = [];
      for (const run of ["ok", "denied"]) {
        const names = (await readdir(join(dir.dir, run))).sort();
        expect(names).toEqual(["point-c1.json", "requests-c1.jsonl"]);
        for (const name of names) files.push(await readFile(join(dir.dir, run, name), "utf8"));
      }
      for (const text of [...files, ok.stdout, ok.stderr, stopped.stdout, stopped.stderr]) {
        for (const secret of [PASSWORD, BASIC.slice(6)]) expect(text.includes(secret)).toBe(false);
      }
      for (const text of [denied.stdout, denied.stderr])
        for (const secret of [PASSWORD, BASIC.slice(6)]) expect(text.includes(secret)).toBe(false);
    } finally {
      await dir.cleanup();
    }
  });

  it.each([
    [
      "an API key in the environment",
      [],
      { ...NO_KEY, OPENAI_API_KEY: "sk-1" },
      "infermark: --base-url holds a user and password (sent as Authorization: Basic) and $OPENAI_API_KEY holds an API key (--api-key-env; sent as Authorization: Bearer): both set the Authorization header; give one of them",
    ],
    [
      "--header Authorization",
      ["--header", "Authorization: Bearer t"],
      NO_KEY,
      "infermark: --base-url holds a user and password (sent as Authorization: Basic) and --header sets Authorization: both set the Authorization header; give one of them",
    ],
  ])(
    "with %s: refused before anything is sent (exit 2, one line)",
    async (_name, extra, env, line) => {
      const dir = await tempDir("infermark-credentials-");
      try {
        seen.length = 0;
        const withUser = url.replace("http://", "http://me:pw@");
        const r = await runCli([...level(withUser, join(dir.dir, "out")), ...extra], { env });
        expect(r.stderr.trim()).toBe(line);
        expect(r.code).toBe(2);
        expect(seen).toEqual([]);
        expect(await readdir(dir.dir)).toEqual([]);
      } finally {
        await dir.cleanup();
      }
    },
  );

  it("an API key beside --header Authorization: refused, naming the variable (the key no longer replaces the header unseen)", async () => {
    const dir = await tempDir("infermark-credentials-");
    try {
      const r = await runCli(
        [
          ...level(url, join(dir.dir, "out")),
          ...["--header", "Authorization: Bearer t", "--api-key-env", "MY_KEY"],
        ],
        { env: { ...NO_KEY, MY_KEY: "sk-2" } },
      );
      expect(r.stderr.trim()).toBe(
        "infermark: --header sets Authorization and $MY_KEY holds an API key (--api-key-env; sent as Authorization: Bearer): both set the Authorization header; give one of them",
      );
      expect(r.code).toBe(2);
      expect(await readdir(dir.dir)).toEqual([]);
    } finally {
      await dir.cleanup();
    }
  });
});

describe("infermark bench --power dcgm: the exporter's URL with its credentials from INFERMARK_DCGM_URL", () => {
  it("reads power with Basic auth from the variable's URL, and writes or prints its password nowhere", async () => {
    const dir = await tempDir("infermark-dcgm-env-");
    const auth: (string | undefined)[] = [];
    const exporter = createServer((req, res) => {
      auth.push(req.headers.authorization);
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(
        Array.from({ length: 8 }, (_, g) => `DCGM_FI_DEV_POWER_USAGE{gpu="${g}"} 400\n`).join(""),
      );
    });
    await new Promise<void>((r) => exporter.listen(0, "127.0.0.1", r));
    const port = (exporter.address() as AddressInfo).port;
    try {
      const env = {
        ...NO_KEY,
        INFERMARK_DCGM_URL: `http://me:${PASSWORD}@127.0.0.1:${port}/metrics`,
      };
      const r = await runCli([...level(url, join(dir.dir, "out")), "--power", "dcgm"], { env });
      expect(r.code).toBe(0);
      // before, bench read no variable: --power dcgm asked localhost:9400 and was refused
      expect(auth.length).toBeGreaterThan(0);
      expect(new Set(auth)).toEqual(
        new Set([`Basic ${Buffer.from(`me:${PASSWORD}`).toString("base64")}`]),
      );
      const texts = [r.stdout, r.stderr];
      for (const name of await readdir(join(dir.dir, "out")))
        texts.push(await readFile(join(dir.dir, "out", name), "utf8"));
      for (const text of texts) expect(text.includes(PASSWORD)).toBe(false);

      // a variable that holds no URL: one line, without its password
      const bad = await runCli([...level(url, join(dir.dir, "bad")), "--power", "dcgm"], {
        env: { ...NO_KEY, INFERMARK_DCGM_URL: `me:${PASSWORD}@gpu-1` },
      });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("INFERMARK_DCGM_URL: expects an http(s) URL");
      expect(bad.stderr.includes(PASSWORD)).toBe(false);
    } finally {
      await new Promise((r) => exporter.close(r));
      await dir.cleanup();
    }
  });
});
