import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { PointResult } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers.js";

// `infermark bench --header "api-key: ..."` behind a gateway that refuses every request without it (Azure-style):
// every request the run makes to the server's origin carries the header, none goes to another origin.

const KEY = "az-key-31337";
const NO_KEY = { INFERMARK_API_KEY: "", OPENAI_API_KEY: "" };
const sse = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
/** What the gateway got: method, path and its api-key header. */
const seen: { method: string; path: string; key?: string }[] = [];
/** Paths another origin was asked for. */
const elsewhere: string[] = [];
/** Where the gateway's /metrics redirects: its own /metrics/ (as vLLM's did), or the other origin's. */
let metricsTo: "own" | "other" = "own";
let gateway: Server;
let other: Server;
let url: string;
let otherUrl: string;

const json = (res: import("node:http").ServerResponse, body: unknown) =>
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));

beforeAll(async () => {
  other = createServer((req, res) => {
    elsewhere.push(req.url ?? "");
    res.writeHead(200, { "content-type": "text/plain" }).end("vllm:request_success_total 1\n");
  });
  await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  gateway = createServer(async (req, res) => {
    const key = req.headers["api-key"] as string | undefined;
    const path = req.url ?? "";
    seen.push({ method: req.method ?? "", path, ...(key === undefined ? {} : { key }) });
    let body = "";
    for await (const c of req) body += c;
    if (key !== KEY) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "Access denied due to missing api-key header" }));
      return;
    }
    if (path === "/v1/models") return json(res, { data: [{ id: "m", speed: 1 }] });
    if (path === "/version") return json(res, { version: "9.9.9" });
    if (path === "/metrics") {
      const to = metricsTo === "own" ? "/metrics/" : `${otherUrl}/metrics`;
      res.writeHead(307, { location: to }).end();
      return;
    }
    if (path === "/metrics/") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("vllm:request_success_total 7\n");
      return;
    }
    // one token a word
    if (path === "/tokenize") {
      const words = (JSON.parse(body).prompt as string).split(/\s+/).filter(Boolean);
      return json(res, { tokens: words.map(() => 5), count: words.length });
    }
    if (path === "/detokenize")
      return json(res, { prompt: (JSON.parse(body).tokens as number[]).map(() => "w").join(" ") });
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(
      `${sse({ choices: [{ text: " w0 w1", finish_reason: "length" }] })}${sse({ choices: [], usage: { prompt_tokens: 8, completion_tokens: 2 } })}data: [DONE]\n\n`,
    );
  });
  await new Promise<void>((r) => gateway.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => gateway.close(() => r()));
  await new Promise<void>((r) => other.close(() => r()));
});

const run = (out: string, extra: string[]) => [
  "bench",
  ...["--base-url", url, "--model", "m", "--isl", "8", "--osl", "2", "--range-ratio", "1"],
  ...["--num-requests", "2", "--warmup", "0", "--max-client-lag", "100000", "--workers", "0"],
  ...["--output-dir", out, "--header", `api-key: ${KEY}`, "--json", ...extra],
];

describe("infermark bench --header api-key", () => {
  it("sends it with every request to the server: readiness, test request, model list, version, /tokenize, /metrics", async () => {
    const dir = await tempDir("infermark-headers-");
    try {
      metricsTo = "own";
      seen.length = 0;
      elsewhere.length = 0;
      const r = await runCli(
        run(join(dir.dir, "out"), [
          ...["--concurrency", "1", "--tokenizer", "server", "--wait-ready", "5"],
        ]),
        { env: NO_KEY },
      );
      expect([r.code, r.stderr.includes("no server metrics")]).toEqual([0, false]);
      expect(seen.filter((s) => s.key !== KEY)).toEqual([]);
      expect([...new Set(seen.map((s) => `${s.method} ${s.path}`))].sort()).toEqual([
        "GET /metrics",
        "GET /metrics/",
        "GET /v1/models",
        "GET /version",
        "POST /tokenize",
        "POST /v1/completions",
      ]);
      expect(elsewhere).toEqual([]);
      // what the auxiliary requests are for: the simulator is recognised, its version and metrics read
      const point = PointResult.parse(JSON.parse(r.stdout).levels[0].point);
      expect(point.run.source).toBe("simulated");
      expect(point.run.simulator?.speed).toBe(1);
      expect(point.config.frameworkVersion).toBe("9.9.9");
      expect(point.serverMetrics?.after).toEqual({ "vllm:request_success_total": 7 });
    } finally {
      await dir.cleanup();
    }
  });

  it("never sends it to another origin: a /metrics that redirects there is not read, and why is said once a run and in each point", async () => {
    const dir = await tempDir("infermark-headers-");
    try {
      metricsTo = "other";
      elsewhere.length = 0;
      const r = await runCli(run(join(dir.dir, "out"), ["--concurrency", "1,2"]), {
        env: NO_KEY,
      });
      expect(r.code).toBe(0);
      expect(elsewhere).toEqual([]);
      const reason = `server metrics: ${url}/metrics answered HTTP 307: a redirect to ${otherUrl}/metrics, not followed`;
      expect(r.stderr.split("\n").filter((l) => l.includes("no server metrics"))).toEqual([
        `infermark: warning: [c1] no server metrics: ${reason} (said once; each point without them records why in extra.serverMetricsError; --no-server-metrics stops reading them)`,
      ]);
      const points = (JSON.parse(r.stdout).levels as { point: unknown }[]).map((l) =>
        PointResult.parse(l.point),
      );
      expect(points.map((p) => [p.serverMetrics, p.extra?.serverMetricsError])).toEqual([
        [undefined, reason],
        [undefined, reason],
      ]);
    } finally {
      await dir.cleanup();
    }
  });
});
