import { readFile } from "node:fs/promises";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { PointResult } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers.js";

/** The paths the server was asked for, in order. */
const seen: string[] = [];
let server: Server;
let url: string;

const json = (res: ServerResponse, body: unknown) =>
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
const sse = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;

/** trtllm-serve's endpoints as its openai_server.py serves them: /metrics is JSON, Prometheus is under /prometheus. */
beforeAll(async () => {
  server = createServer(async (req, res) => {
    const path = req.url ?? "";
    seen.push(`${req.method} ${path}`);
    for await (const _ of req);
    if (path === "/v1/models") return json(res, { data: [{ id: "m" }] });
    if (path === "/version") return json(res, { version: "1.0.0" });
    // iteration statistics, taken off the server's queue at each GET
    if (path === "/metrics") return json(res, [{ iter: 1, numActiveRequests: 0 }]);
    if (path === "/prometheus/metrics") {
      res.writeHead(200, { "content-type": "text/plain" });
      return res.end("trtllm_request_success_total 4\n");
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(
      `${sse({ choices: [{ text: " w0" }] })}${sse({ choices: [{ text: " w1", finish_reason: "length" }] })}${sse({ choices: [], usage: { prompt_tokens: 8, completion_tokens: 2 } })}data: [DONE]\n\n`,
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("infermark bench --backend trtllm", () => {
  it("reads the server's Prometheus metrics at /prometheus/metrics, not its JSON /metrics", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const r = await runCli([
        ...["bench", "--base-url", url, "--model", "m", "--backend", "trtllm"],
        ...["--isl", "8", "--osl", "2", "--range-ratio", "1", "--concurrency", "1"],
        ...["--num-requests", "2", "--warmup", "0", "--max-client-lag", "100000", "--workers", "0"],
        ...["--output-dir", dir, "--json"],
      ]);
      expect(r.code, r.stderr).toBe(0);
      const point = PointResult.parse(
        JSON.parse(await readFile(join(dir, "point-c1.json"), "utf8")),
      );
      // before, /metrics was read: its JSON made a point without counters, or (once refused) a warning
      expect(point.serverMetrics?.after).toEqual({ trtllm_request_success_total: 4 });
      expect(point.extra?.serverMetricsError).toBeUndefined();
      expect(seen.filter((p) => p.endsWith("metrics"))).toEqual([
        "GET /prometheus/metrics",
        "GET /prometheus/metrics",
      ]);
    } finally {
      await cleanup();
    }
  });
});
