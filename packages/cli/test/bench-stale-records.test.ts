import { readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers.js";

// Two runs of `infermark bench` into one --output-dir: a level's point is never left beside another run's records,
// which `infermark ingest` would store as the point's own.

const NO_KEY = { INFERMARK_API_KEY: "", OPENAI_API_KEY: "" };
const sse = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (req.method === "GET") {
      res.writeHead(404).end();
      return;
    }
    for await (const _ of req);
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(
      `${sse({ choices: [{ text: " w0 w1", finish_reason: "length" }] })}${sse({ choices: [], usage: { prompt_tokens: 8, completion_tokens: 2 } })}data: [DONE]\n\n`,
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** One level of `requests` 2-token requests into `out`; `extra` adds flags. */
const level = (out: string, requests: number, extra: string[] = []) => [
  "bench",
  ...["--base-url", url, "--model", "m", "--isl", "8", "--osl", "2", "--range-ratio", "1"],
  ...["--concurrency", "1", "--num-requests", String(requests), "--warmup", "0"],
  ...["--output-dir", out, "--framework-version", "0", "--max-client-lag", "100000"],
  ...["--no-server-metrics", "--workers", "0", ...extra],
];

const lines = async (path: string) => (await readFile(path, "utf8")).trim().split("\n");

describe("infermark bench into a folder that holds an earlier run's records", () => {
  it("sets the earlier records aside, named so that ingest does not read them, and says so in one line", async () => {
    const dir = await tempDir("infermark-stale-");
    try {
      const out = join(dir.dir, "out");
      const first = await runCli(level(out, 5, ["--save-requests"]), { env: NO_KEY });
      expect(first.code).toBe(0);
      const earlier = await readFile(join(out, "requests-c1.jsonl"), "utf8");

      // without --save-requests: the new point must not stand beside the 5 records of the first run
      const second = await runCli(level(out, 2), { env: NO_KEY });
      expect(second.code).toBe(0);
      const names = (await readdir(out)).sort();
      expect(names.length).toBe(2);
      expect(names[0]).toBe("point-c1.json");
      expect(names[1]).toMatch(/^requests-c1\.jsonl\.\d{8}T\d{6}Z\.[0-9a-f]{4}\.stale$/);
      expect(await readFile(join(out, names[1]!), "utf8")).toBe(earlier);
      expect(second.stderr.split("\n").filter((l) => l.includes("earlier run"))).toEqual([
        `infermark: [c1] requests-c1.jsonl held an earlier run's records, not this point's (this run saves none: --save-requests): renamed to ${names[1]}, which ingest does not read`,
      ]);

      // ingest of the folder stores the new point alone: no records, no rejection
      const db = join(dir.dir, "store.db");
      const ingested = await runCli(["ingest", out, "--db", db, "--json"]);
      expect(ingested.code).toBe(0);
      const outcomes = JSON.parse(ingested.stdout) as Record<string, unknown>[];
      expect(outcomes.map((o) => [o.path, o.status, o.inserted, o.requests])).toEqual([
        [join(out, "point-c1.json"), "ok", 1, undefined],
      ]);

      // --save-requests again: its 3 records are written, nothing set aside (no records file was there)
      const third = await runCli(level(out, 3, ["--save-requests"]), { env: NO_KEY });
      expect(third.code).toBe(0);
      expect((await readdir(out)).sort()).toEqual(["point-c1.json", "requests-c1.jsonl", names[1]]);
      expect((await lines(join(out, "requests-c1.jsonl"))).length).toBe(3);
      expect(third.stderr).not.toContain("earlier run");

      // and a fourth with --save-requests over the third's records: replaced, as the point is, nothing set aside
      const fourth = await runCli(level(out, 4, ["--save-requests"]), { env: NO_KEY });
      expect(fourth.code).toBe(0);
      expect((await readdir(out)).sort()).toEqual(["point-c1.json", "requests-c1.jsonl", names[1]]);
      expect((await lines(join(out, "requests-c1.jsonl"))).map((l) => JSON.parse(l).index)).toEqual(
        [0, 1, 2, 3],
      );
    } finally {
      await dir.cleanup();
    }
  });
});
