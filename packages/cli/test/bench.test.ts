import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { PointResult } from "@infermark/core";
import { createSimServer, resolveSimConfig, steadyState } from "@infermark/sim";
import { openStore } from "@infermark/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeNvidiaSmi, runCliInProcess, spawnCli } from "./helpers.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
const KEY = "sk-TESTKEY-0123456789";
let server: Server;
let url: string;
const seen: IncomingHttpHeaders[] = [];
/** Completions answered, as the server's Prometheus counter gives them at GET /metrics. */
let answered = 0;

const sse = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;

beforeAll(async () => {
  // a real local SSE server: model "deny" answers 401 echoing the credentials it got
  server = createServer(async (req, res) => {
    if (req.method === "GET" && req.url === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(
        `# TYPE vllm:request_success counter\nvllm:request_success_total{model_name="m"} ${answered}\n`,
      );
      return;
    }
    if (req.method === "GET") {
      // no model list (the time scale stays 1)
      res.writeHead(404).end();
      return;
    }
    res.on("finish", () => answered++);
    let body = "";
    for await (const c of req) body += c;
    seen.push(req.headers);
    const { model, stream } = JSON.parse(body);
    if (model === "slow") {
      // a token every 20 ms, whatever max_tokens says, until the client goes away
      res.writeHead(200, { "content-type": "text/event-stream" });
      const timer = setInterval(() => res.write(sse({ choices: [{ text: " w" }] })), 20);
      res.on("close", () => clearInterval(timer));
      return;
    }
    if (model === "deny") {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `bad key ${req.headers.authorization}` }));
      return;
    }
    if (stream !== true) {
      // --no-stream: the whole reply in one JSON body
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          choices: [{ text: " w0 w1 w2", finish_reason: "length" }],
          usage: { prompt_tokens: 8, completion_tokens: 3 },
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (let i = 0; i < 3; i++)
      res.write(sse({ choices: [{ text: ` w${i}`, finish_reason: i === 2 ? "length" : null }] }));
    res.write(sse({ choices: [], usage: { prompt_tokens: 8, completion_tokens: 3 } }));
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--conditions=infermark-source", "--import", "tsx", "packages/cli/src/run.ts", ...args],
      { cwd: ROOT, env: { ...process.env, INFERMARK_API_KEY: "", OPENAI_API_KEY: "", ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A few 3-token requests of 8-token prompts, on a configuration named in full, the client lag bound out of the way. */
const TINY_LEVEL = [
  "--isl",
  "8",
  "--osl",
  "3",
  "--range-ratio",
  "1",
  "--max-client-lag",
  "100000",
  "--gpus",
  "8",
  "--hardware",
  "h200",
  "--framework",
  "vllm",
  "--precision",
  "fp8",
];

async function allFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return Promise.all(names.map((n) => readFile(join(dir, n), "utf8")));
}

/** `infermark bench` of one measured request on TINY_LEVEL, results into `out`; `gpu` replaces its h200. */
const oneRequest = (out: string, extra: string[] = [], gpu = "h200") => [
  "bench",
  "--base-url",
  url,
  "--model",
  "m",
  ...TINY_LEVEL.map((a) => (a === "h200" ? gpu : a)),
  "--concurrency",
  "1",
  "--num-requests",
  "1",
  "--warmup",
  "0",
  "--output-dir",
  out,
  ...extra,
];

describe("infermark bench", () => {
  it("says what to do when the client was saturated (more threads, or a machine of its own)", async () => {
    const out = await mkdtemp(join(tmpdir(), "infermark-bench-busy-"));
    try {
      // a lag bound no client meets: the level is marked saturated whatever the machine
      const r = await cli(oneRequest(out, ["--max-client-lag", "0.000001"]));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^\[c1\] INVALID: client saturated \(event-loop delay p99 /m);
      const hint = r.stderr.split("\n").find((l) => l.startsWith("infermark: hint:"));
      const cores = availableParallelism();
      // the main thread stamped: more threads help where the machine has cores to spare
      expect(hint).toBe(
        cores > 2
          ? `infermark: hint: the client was saturated at c1, stamping on 1 thread: --workers ${cores - 1} spreads the streams over ${cores - 1} threads on this machine's ${cores} cores`
          : `infermark: hint: the client was saturated at c1, stamping on 1 thread of this machine's ${cores} cores: run the load generator on a machine of its own (not beside the server), or split the streams over several bench processes`,
      );
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("--power reads the GPUs the server runs on and gives each level its energy per token; /metrics its counters", async () => {
    const dir = await mkdtemp(join(tmpdir(), "infermark-bench-power-"));
    try {
      // a node of 4 GPUs: the server's two (2 and 3) at 300 W, the others at 100 W
      const bin = await fakeNvidiaSmi(dir, [100, 100, 300, 300]);
      const out = join(dir, "out");
      // TINY_LEVEL on the server's 2 GPUs
      const level = TINY_LEVEL.map((a, i) => (TINY_LEVEL[i - 1] === "--gpus" ? "2" : a));
      const args = [
        ...["bench", "--base-url", url, "--model", "m", ...level],
        ...["--concurrency", "1,2", "--num-requests", "6", "--warmup", "1", "--output-dir", out],
      ];
      const r = await cli([...args, "--power", "nvidia-smi", "--gpu-ids", "2,3"], {
        PATH: `${bin}:${process.env.PATH}`,
      });
      expect(r.code).toBe(0);
      const point = PointResult.parse(
        JSON.parse(await readFile(join(out, "point-c2.json"), "utf8")),
      );
      expect(point.energy).toMatchObject({ kind: "measured", sampler: "nvidia-smi", valid: true });
      // GPUs 0 and 1 are not the server's: only the 300 W ones are integrated
      expect(point.energy!.avgPowerW).toBeCloseTo(300, 0);
      expect(new Set(point.energy!.samples!.map((s) => s.gpu))).toEqual(new Set([2, 3]));
      expect(point.energy!.jPerOutputToken).toBeGreaterThan(0);
      // the level's own requests (1 warm-up, 6 measured), read from the server's counter before and after it
      expect(point.serverMetrics?.delta?.["vllm:request_success_total"]).toBe(7);
      expect(r.stdout).toMatch(
        /^Energy \(J per token\) +[\d.]+ output, [\d.]+ input, [\d.]+ total \(nvidia-smi\)$/m,
      );
      expect(r.stdout).toMatch(/^Average power per GPU \(W\) +300\.0$/m);
      // a disaggregated server of one prefill GPU (0, 100 W) and one decode GPU (2, 300 W): J per input token is
      // the prefill GPU's energy over the input tokens, J per output token the decode GPU's over the output tokens
      const disagg = [...args, "--power", "nvidia-smi", "--prefill-gpu-ids", "0"]
        .concat([
          "--decode-gpu-ids",
          "2",
          "--gpus",
          "2",
          "--prefill-gpus",
          "1",
          "--decode-gpus",
          "1",
        ])
        .concat(["--concurrency", "2", "--output-dir", join(dir, "disagg")]);
      const d = await cli(disagg, { PATH: `${bin}:${process.env.PATH}` });
      expect([d.code, d.stderr]).toMatchObject([0, expect.not.stringContaining("warning")]);
      const split = PointResult.parse(
        JSON.parse(await readFile(join(dir, "disagg", "point-c2.json"), "utf8")),
      );
      expect(split.energy).toMatchObject({ valid: true });
      expect(new Set(split.energy!.samples!.map((s) => s.gpu))).toEqual(new Set([0, 2]));
      // the same window for both GPUs: (300 / output tokens) / (100 / input tokens), 8-token prompts, 3-token replies
      const { jPerOutputToken, jPerInputToken } = split.energy!;
      expect(jPerOutputToken! / jPerInputToken!).toBeCloseTo((3 * 8) / 3, 1);
      // a source this machine cannot read is refused before anything is sent
      const none = await cli([...args, "--power", "amd-smi"], { PATH: bin });
      expect(none.code).toBe(1);
      expect(none.stderr.trim().split("\n")).toHaveLength(1);
      expect(none.stderr).toMatch(
        /^infermark: --power amd-smi: .*; use --power auto \(none when no source answers\) or none\n$/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses a --hardware that is a typo of a catalog GPU and warns of one the catalog lacks", async () => {
    const out = await mkdtemp(join(tmpdir(), "infermark-bench-hw-"));
    try {
      const args = (gpu: string) => oneRequest(out, [], gpu);
      const before = seen.length;
      const typo = await cli(args("h2000"));
      expect([typo.code, typo.stdout]).toEqual([2, ""]);
      expect(typo.stderr).toMatch(
        /^infermark: --hardware: unknown GPU "h2000" \(did you mean h200/,
      );
      expect(seen.length).toBe(before);
      const other = await cli(args("l40s"));
      expect(other.code).toBe(0);
      expect(other.stderr).toContain(
        'infermark: warning: --hardware: GPU "l40s" is not in the catalog: its points are measured and stored',
      );
      const point = PointResult.parse(
        JSON.parse(await readFile(join(out, "point-c1.json"), "utf8")),
      );
      expect(point.config.hardware).toBe("l40s");
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("records the serving layout given with --tp, --ep and --dp-attention as the topology's pools", async () => {
    const out = await mkdtemp(join(tmpdir(), "infermark-bench-layout-"));
    try {
      const args = (...layout: string[]) => oneRequest(out, layout);
      const r = await cli(args("--tp", "4", "--ep", "4", "--dp-attention"));
      expect([r.code, r.stderr.includes("wrote")]).toEqual([0, true]);
      const point = PointResult.parse(
        JSON.parse(await readFile(join(out, "point-c1.json"), "utf8")),
      );
      // --gpus 8 of TINY_LEVEL: two workers of TP4/EP4 with DP attention (the frontier's label read "tp ?")
      const pool = { tp: 4, ep: 4, pp: 1, dpAttention: true, workers: 2, gpus: 8 };
      expect(point.config.topology).toEqual({
        disaggregated: false,
        multinode: false,
        gpus: 8,
        prefillGpus: 8,
        decodeGpus: 8,
        prefill: pool,
        decode: pool,
      });
      const bad = await cli(args("--tp", "3"));
      expect([bad.code, bad.stdout, bad.stderr]).toEqual([
        2,
        "",
        "infermark: --tp 3 does not divide --gpus 8 into whole workers\n",
      ]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("runs vLLM's --rate inf --max-concurrency N as the closed loop of N it is, and refuses it without a cap", async () => {
    const out = await mkdtemp(join(tmpdir(), "infermark-bench-inf-"));
    try {
      const base = oneRequest(out).filter(
        (a, i, all) => a !== "--concurrency" && all[i - 1] !== "--concurrency",
      );
      const r = await cli([...base, "--rate", "inf", "--max-concurrency", "2"]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(
        "infermark: --rate inf --max-concurrency 2 runs as --concurrency 2: each request is sent as soon as one of the 2 in flight ends",
      );
      const point = PointResult.parse(
        JSON.parse(await readFile(join(out, "point-c2.json"), "utf8")),
      );
      expect(point.config.load).toMatchObject({ mode: "concurrency", concurrency: 2 });
      // before: --rate expects a comma-separated list of positive numbers, got "inf"
      const uncapped = await cli([...base, "--rate", "inf"]);
      expect([uncapped.code, uncapped.stderr.split("\n")[0]]).toEqual([
        2,
        "infermark: --rate inf needs --max-concurrency N: N requests in flight, each sent as soon as one ends (which is --concurrency N); to send every request at once as vLLM's --request-rate inf without a cap does, give --concurrency N --num-requests N --warmup 0 (all N sent together)",
      ]);
      const mixed = await cli([...base, "--rate", "1,inf", "--max-concurrency", "2"]);
      expect([mixed.code, mixed.stderr.split("\n")[0]]).toEqual([
        2,
        "infermark: --rate inf is a closed loop (every request due at once, --max-concurrency in flight): give it alone, or use --concurrency for several levels",
      ]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("refuses an --output-dir it cannot create with one line naming the flag, before anything is sent", async () => {
    const dir = await mkdtemp(join(tmpdir(), "infermark-bench-outdir-"));
    try {
      const file = join(dir, "a-file");
      await writeFile(file, "");
      const before = seen.length;
      const r = await cli([
        "bench",
        "--base-url",
        url,
        "--model",
        "m",
        ...TINY_LEVEL,
        "--concurrency",
        "1",
        "--output-dir",
        join(file, "sub"),
      ]);
      expect([r.code, r.stdout, r.stderr]).toEqual([
        2,
        "",
        `infermark: --output-dir ${join(file, "sub")}: cannot create it (a part of the path is a file)\n`,
      ]);
      expect(seen.length).toBe(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("on SIGTERM cancels the requests in flight at once, writes the level it stopped as incomplete and exits 143", async () => {
    const out = await mkdtemp(join(tmpdir(), "infermark-bench-term-"));
    try {
      // requests that never end by themselves: only a cancel stops them (a drain would wait the 30 s default)
      const child = spawnCli(
        [
          "bench",
          "--base-url",
          url,
          "--model",
          "slow",
          ...TINY_LEVEL,
          "--concurrency",
          "2",
          "--num-requests",
          "4",
          "--warmup",
          "0",
          "--no-preflight",
          "--output-dir",
          out,
        ],
        { env: { INFERMARK_API_KEY: "", OPENAI_API_KEY: "" } },
      );
      let stderr = "";
      await new Promise<void>((started) =>
        child.stderr.on("data", (d) => {
          stderr += d;
          if (stderr.includes("[c2] start")) started();
        }),
      );
      const closed = new Promise<number | null>((res) => child.on("close", res));
      child.kill("SIGTERM");
      expect(await closed).toBe(143);
      expect(stderr).toContain("infermark: SIGTERM: stopping; cancelling the requests in flight");
      const point = PointResult.parse(
        JSON.parse(await readFile(join(out, "point-c2.json"), "utf8")),
      );
      expect(point.incomplete).toBe(true);
      expect(point.metrics.completed).toBe(0);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("writes a validated PointResult per level, sends the key as a bearer token and never writes it", async () => {
    const out = await mkdtemp(join(tmpdir(), "infermark-bench-"));
    const dbDir = await mkdtemp(join(tmpdir(), "infermark-bench-db-"));
    try {
      const base = [
        "bench",
        "--base-url",
        url,
        ...TINY_LEVEL,
        "--num-requests",
        "2",
        "--warmup",
        "1",
        "--output-dir",
        out,
        "--save-requests",
        "--header",
        "x-run:abc",
      ];
      const ok = await cli(
        [
          ...base,
          ...["--metadata", "driver = 570.86", "--metadata", `note=pasted ${KEY} by mistake`],
          ...["--model", "m", "--concurrency", "1,2"],
        ],
        { INFERMARK_API_KEY: KEY },
      );
      expect(ok.stderr).toContain("wrote");
      expect(ok.stderr).not.toContain("warning");
      expect(ok.code).toBe(0);
      expect((await readdir(out)).sort()).toEqual([
        "point-c1.json",
        "point-c2.json",
        "requests-c1.jsonl",
        "requests-c2.jsonl",
      ]);
      const point = PointResult.parse(
        JSON.parse(await readFile(join(out, "point-c2.json"), "utf8")),
      );
      expect(point.metrics.completed).toBe(2);
      expect(point.metrics.outputTokens).toBe(6);
      // --metadata rides along for the record, trimmed, the key that slipped into it redacted
      expect(point.extra?.metadata).toEqual({ driver: "570.86", note: "pasted *** by mistake" });
      expect(ok.stdout).toContain(
        "Metadata                                 driver=570.86, note=pasted *** by mistake",
      );
      expect(point.config).toMatchObject({
        hardware: "h200",
        precision: "fp8",
        topology: { gpus: 8 },
        load: { concurrency: 2 },
      });
      expect(
        (await readFile(join(out, "requests-c1.jsonl"), "utf8")).trim().split("\n"),
      ).toHaveLength(3);
      expect(ok.stdout).toContain("== c1 ==");
      // after the levels' summaries, the curve they make in one table: a row per level, in order
      const curve = ok.stdout.slice(ok.stdout.indexOf("== curve =="));
      expect(curve.split("\n").map((l) => l.split(/\s+/)[0])).toEqual([
        "==",
        "level",
        "-----",
        "c1",
        "c2",
        "",
      ]);

      // the folder goes into the store as it is: each level's records ride with its point, in one transaction
      const db = join(dbDir, "bench.db");
      const ingested = await cli(["ingest", out, "--db", db]);
      expect(ingested.stdout).toContain(
        `ok       ${join(out, "point-c1.json")}: 1 inserted, 0 unchanged, 3 request records from ${join(out, "requests-c1.jsonl")}`,
      );
      expect(ingested.stdout).toContain("2 file(s): 2 inserted, 0 unchanged, 0 rejected");
      expect(ingested.code).toBe(0);
      const store = await openStore(db);
      try {
        const points = await store.queryPoints();
        expect(points).toHaveLength(2);
        const c2 = points.find((p) => p.point.config.load.concurrency === 2)!;
        const records = await store.getRequestRecords(c2.id);
        const written = (await readFile(join(out, "requests-c2.jsonl"), "utf8"))
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l));
        expect(records).toHaveLength(written.length);
        expect(records.map((r) => (r as { outputTokens: number }).outputTokens)).toEqual(
          written.map((r) => r.outputTokens),
        );
      } finally {
        await store.close();
      }
      expect((await readFile(db)).includes(KEY)).toBe(false);
      expect(seen.at(-1)?.authorization).toBe(`Bearer ${KEY}`);
      expect(seen.at(-1)?.["x-run"]).toBe("abc");

      // a server that echoes the key in its error body: the test request before the run fails, so the run
      // stops at once with one line (exit 1), the key redacted
      const stopped = await cli(
        [...base, "--model", "deny", "--concurrency", "1", "--api-key-env", "MY_KEY"],
        { MY_KEY: KEY },
      );
      expect(stopped.code).toBe(1);
      expect(stopped.stderr.trim()).toBe(
        `infermark: the test request to ${url} failed before the run (http_status: HTTP 401: {"error":"bad key Bearer ***"}); check the API key, or pass --no-preflight to measure anyway`,
      );
      // measured anyway: the level is invalid (exit 1), the key still never written
      const denied = await cli(
        [
          ...base,
          "--model",
          "deny",
          "--concurrency",
          "1",
          "--api-key-env",
          "MY_KEY",
          "--json",
          "--no-preflight",
        ],
        { MY_KEY: KEY },
      );
      expect(denied.code).toBe(1);
      const json = JSON.parse(denied.stdout);
      expect(json.levels[0].point.errors.byCategory).toEqual({ http_status: 2 });
      expect(json.levels[0].point.errors.samples[0]).toBe(
        'http_status: HTTP 401: {"error":"bad key Bearer ***"}',
      );
      for (const text of [
        ...(await allFiles(out)),
        ok.stdout,
        ok.stderr,
        stopped.stdout,
        stopped.stderr,
        denied.stdout,
        denied.stderr,
      ]) {
        expect(text.includes(KEY)).toBe(false);
      }
    } finally {
      await rm(out, { recursive: true, force: true });
      await rm(dbDir, { recursive: true, force: true });
    }
  });

  it("with --no-stream, leaves TPOT, ITL and interactivity out (not measured) and the store and frontier take the point", async () => {
    const out = await mkdtemp(join(tmpdir(), "infermark-bench-nostream-"));
    try {
      const run = await cli([
        "bench",
        "--base-url",
        url,
        "--model",
        "m",
        ...TINY_LEVEL,
        "--num-requests",
        "3",
        "--warmup",
        "0",
        "--concurrency",
        "1",
        "--no-stream",
        "--output-dir",
        out,
      ]);
      expect(run.code).toBe(0);
      const table = run.stdout.split("\n");
      for (const label of ["TPOT", "ITL"])
        expect(table).toContain(`${`${label} mean / median / p99 (ms)`.padEnd(41)}- / - / -`);
      expect(table).toContain(`${"Interactivity median / p99 (tok/s/user)".padEnd(41)}- / -`);
      const point = PointResult.parse(
        JSON.parse(await readFile(join(out, "point-c1.json"), "utf8")),
      );
      const m = point.metrics;
      expect([m.completed, m.outputTokens]).toEqual([3, 9]);
      // the client sees the whole reply at once: TTFT is E2EL, and per-token timing is not measured
      expect(m.ttft).toEqual(m.e2el);
      expect([m.tpot, m.itl, m.intvty, m.perRequestIntvty]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);

      const db = join(out, "nostream.db");
      const ingested = await runCliInProcess(["ingest", join(out, "point-c1.json"), "--db", db]);
      expect([ingested.code, ingested.stdout.trim().split("\n").at(-1)]).toEqual([
        0,
        "1 file(s): 1 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped",
      ]);
      // without interactivity the point has no place on the default frontier: counted as skipped, not an error
      const frontier = await runCliInProcess(["frontier", "--db", db, "--json"]);
      expect(frontier.code).toBe(0);
      expect(
        JSON.parse(frontier.stdout).groups.map((g: { points: number; skipped: number }) => [
          g.points,
          g.skipped,
        ]),
      ).toEqual([[1, 1]]);
      const text = await runCliInProcess(["frontier", "--db", db]);
      expect(text.stdout.trim().split("\n").at(-1)).toBe(
        "1 point(s) without intvty or tputPerGpu left out (a point measured with --no-stream has no TPOT, so no interactivity)",
      );
      // the point matched the filters: the empty table is not blamed on them
      expect(text.stderr.trim()).toBe(
        "infermark: no rows: every matching point lacks intvty or tputPerGpu",
      );
      // on an axis it has, it is a frontier point
      const byE2el = await runCliInProcess(["frontier", "--db", db, "--x", "e2el", "--json"]);
      expect(byE2el.code).toBe(0);
      expect(JSON.parse(byE2el.stdout).groups[0].frontier).toHaveLength(1);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  // flag checks end before any request: run in this process, not one process start each (a process start takes
  // seconds on a loaded 2-core machine)
  it("rejects bad flags with one line naming the flag (exit 2)", async () => {
    const common = ["bench", "--base-url", url, "--model", "m", "--isl", "8", "--osl", "3"];
    const bad = await runCliInProcess([...common, "--concurrency", "0,2"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--concurrency expects a comma-separated list of positive integers, got "0,2"',
    );
    const both = await runCliInProcess([...common, "--concurrency", "1", "--rate", "2"]);
    expect(both.code).toBe(2);
    expect(both.stderr.trim()).toBe("infermark: give only one of --concurrency and --rate");
    const noKey = await runCliInProcess([
      ...common,
      "--concurrency",
      "1",
      "--api-key-env",
      "NOPE_UNSET",
    ]);
    expect(noKey.stderr.trim()).toBe(
      "infermark: --api-key-env: environment variable NOPE_UNSET is not set",
    );
    // the value is not repeated: a pair for the record may be a credential all the same (HF_TOKEN=hf_...)
    for (const [given, got] of [
      ["driver", "a value without ="],
      ["=570", "an empty KEY before ="],
      [" =x", "an empty KEY before ="],
    ] as const) {
      const r = await runCliInProcess([...common, "--concurrency", "1", "--metadata", given]);
      expect([r.code, r.stderr.trim()]).toEqual([
        2,
        `infermark: --metadata expects KEY=VALUE, got ${got} (the value is not shown: it may hold a credential)`,
      ]);
    }
  });

  it("--wait-ready says what it waits for, and gives up in one line (exit 1) with nothing written", async () => {
    const dir = await mkdtemp(join(tmpdir(), "infermark-bench-wait-"));
    // a port nothing listens on: taken from the kernel, then freed
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const { port } = s.address() as AddressInfo;
    await new Promise<void>((r) => s.close(() => r()));
    try {
      const out = join(dir, "out");
      const r = await runCliInProcess([
        ...["bench", "--base-url", `http://127.0.0.1:${port}`, "--model", "m"],
        ...["--isl", "8", "--osl", "3", "--concurrency", "1", "--output-dir", out],
        ...["--wait-ready", "1"],
      ]);
      expect([r.code, r.stderr]).toEqual([
        1,
        "infermark: waiting for the server (connect: ECONNREFUSED); 0 s so far\n" +
          `infermark: the server at http://127.0.0.1:${port} did not answer the test request within --wait-ready 1 s (last: connect: ECONNREFUSED); check --base-url and the server's log\n`,
      ]);
      // nothing written, not even the folder
      await expect(readdir(out)).rejects.toThrow("ENOENT");
      const bad = await runCliInProcess(["bench", "--wait-ready", "soon"]);
      expect([bad.code, bad.stderr.trim()]).toEqual([
        2,
        `error: option '--wait-ready <s>' argument 'soon' is invalid. --wait-ready expects a number >= 0, got "soon" (run with --help for usage)`,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("leaves no --output-dir behind when the run stops before its first level, and keeps one that was there", async () => {
    const dir = await mkdtemp(join(tmpdir(), "infermark-bench-nothing-"));
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const { port } = s.address() as AddressInfo;
    await new Promise<void>((r) => s.close(() => r()));
    try {
      const level = ["--isl", "8", "--osl", "3", "--concurrency", "1"];
      // the test request finds nothing at the port: one line, and no folder made for no files
      const nested = join(dir, "a", "b");
      const down = await runCliInProcess([
        ...["bench", "--base-url", `http://127.0.0.1:${port}`, "--model", "m", ...level],
        ...["--output-dir", nested],
      ]);
      expect([down.code, down.stdout, down.stderr.split("\n").length]).toEqual([1, "", 2]);
      expect(down.stderr).toMatch(/^infermark: the test request to .* failed before the run/);
      expect(await readdir(dir)).toEqual([]);
      // a dataset that is not there: the line names the flag; nothing written
      const missing = join(dir, "absent.jsonl");
      const noFile = await runCliInProcess([
        ...["bench", "--base-url", url, "--model", "m", "--workload", "jsonl"],
        ...["--dataset", missing, "--concurrency", "1", "--output-dir", nested],
      ]);
      expect([noFile.code, noFile.stdout, noFile.stderr]).toEqual([
        1,
        "",
        `infermark: --dataset ${missing}: cannot read (ENOENT: no such file or directory, open '${missing}')\n`,
      ]);
      expect(await readdir(dir)).toEqual([]);
      // a folder that was there before stays, with what it held
      await writeFile(join(dir, "keep.txt"), "mine");
      const kept = await runCliInProcess([
        ...["bench", "--base-url", `http://127.0.0.1:${port}`, "--model", "m", ...level],
        ...["--output-dir", dir],
      ]);
      expect(kept.code).toBe(1);
      expect(await readdir(dir)).toEqual(["keep.txt"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects flag combinations the load generator refuses with one line and exit 2, writing nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "infermark-bench-bad-"));
    const out = join(dir, "out");
    const common = ["bench", "--base-url", url, "--model", "m", "--output-dir", out];
    const level = ["--isl", "8", "--osl", "3", "--concurrency", "1"];
    const cases: [string[], string][] = [
      [[...level, "--prefix-length", "8"], "--prefix-length (8) must be below --isl (8)"],
      [[...level, "--token-ids", "--api", "chat"], "--token-ids needs --api completions, not chat"],
      [
        [...level, "--gpus", "4", "--prefill-gpus", "2", "--decode-gpus", "6"],
        "--gpus (4) must be --prefill-gpus + --decode-gpus (8), or left out",
      ],
      [
        [...level, "--prefill-gpus", "2"],
        "give --prefill-gpus and --decode-gpus together (disaggregated serving)",
      ],
      [[...level, "--max-concurrency", "4"], "--max-concurrency applies to --rate only"],
      // the GPUs whose power is read, against the configuration
      [
        [...level, "--gpus", "4", "--gpu-ids", "0,1"],
        "--gpu-ids names 2 GPUs for a server of 4 (--gpus)",
      ],
      [
        [...level, "--prefill-gpu-ids", "0"],
        "give --prefill-gpu-ids and --decode-gpu-ids together",
      ],
      [
        [...level, "--prefill-gpu-ids", "0", "--decode-gpu-ids", "1"],
        "--prefill-gpu-ids and --decode-gpu-ids name the pools of a disaggregated server: give --prefill-gpus and --decode-gpus too",
      ],
      [
        [...level, "--prefill-gpus", "1", "--decode-gpus", "2"].concat([
          "--prefill-gpu-ids",
          "0",
          "--decode-gpu-ids",
          "1",
        ]),
        "--decode-gpu-ids names 1 GPUs for a pool of 2 (--decode-gpus)",
      ],
      [
        [...level, "--prefill-gpus", "1", "--decode-gpus", "1"].concat([
          "--prefill-gpu-ids",
          "3",
          "--decode-gpu-ids",
          "3",
        ]),
        "--prefill-gpu-ids and --decode-gpu-ids name a GPU twice (within a pool or in both)",
      ],
      [
        [...level, "--gpus", "2", "--gpu-ids", "0-1", "--prefill-gpu-ids", "0"].concat([
          "--decode-gpu-ids",
          "1",
        ]),
        "give --gpu-ids (all the server's GPUs) or --prefill-gpu-ids with --decode-gpu-ids, not both",
      ],
      [
        ["--isl", "8", "--osl", "3", "--rate", "2", "--arrival", "poisson", "--burstiness", "0.5"],
        "--burstiness applies to --arrival gamma, not poisson",
      ],
      // a dataset beside the random workload, or random-workload flags beside a dataset, were ignored
      [
        [...level, "--dataset", "requests.jsonl"],
        "--dataset applies to --workload sharegpt, jsonl, multi-turn or trace, not random",
      ],
      [
        ["--workload", "jsonl", "--dataset", "requests.jsonl", "--isl", "8", "--concurrency", "1"],
        "--isl applies to the random workload only, not jsonl",
      ],
      [
        [
          "--workload",
          "sharegpt",
          "--dataset",
          "a.json",
          "--prefix-length",
          "4",
          "--concurrency",
          "1",
        ],
        "--prefix-length applies to the random workload only, not sharegpt",
      ],
      [
        ["--workload", "jsonl", "--dataset", "requests.jsonl", "--token-ids", "--concurrency", "1"],
        "--token-ids applies to the random workload only, not jsonl",
      ],
      // --range-ratio has a default (0.8): given by the user beside a dataset, it was ignored
      [
        [
          "--workload",
          "jsonl",
          "--dataset",
          "requests.jsonl",
          "--range-ratio",
          "1",
          "--concurrency",
          "1",
        ],
        "--range-ratio applies to the random workload only, not jsonl",
      ],
      // without streaming, every token comes with the last: a TPOT SLO always passed
      [
        [...level, "--no-stream", "--slo-tpot", "0.05"],
        "--slo-tpot needs streaming: with --no-stream the tokens arrive together, so TPOT is not measured",
      ],
      // was "Invalid URL" (exit 1): the metrics URL was made of it before the flags were checked
      [
        [...level, "--base-url", "localhost-8000"],
        '--base-url: "localhost-8000" is not a URL (e.g. http://localhost:8000)',
      ],
      // a level given twice was measured twice, its second point written over the first
      [
        ["--isl", "8", "--osl", "3", "--concurrency", "1,2,1"],
        "--concurrency gives 1 twice: each level is written to point-c1.json, so the second would replace the first",
      ],
      [
        [...level, "--extra-body", '{"stream":false}'],
        `--extra-body sets "stream", which infermark sets itself: use --no-stream`,
      ],
    ];
    for (const [flags, message] of cases) {
      const r = await runCliInProcess([...common, ...flags]);
      expect([r.code, r.stdout, r.stderr], flags.join(" ")).toEqual([
        2,
        "",
        `infermark: ${message}\n`,
      ]);
    }
    await expect(readdir(out)).rejects.toThrow("ENOENT");
    await rm(dir, { recursive: true, force: true });
  });

  it("against infermark sim serve --speed 10, reports the simulated engine's times (auto time scale)", async () => {
    const sim = createSimServer({ sim: { model: "dsr1", hardware: "h200", tp: 8 }, speed: 10 });
    const { port } = await sim.listen(0);
    const out = await mkdtemp(join(tmpdir(), "infermark-bench-sim-"));
    try {
      const r = await cli([
        "bench",
        "--base-url",
        `http://127.0.0.1:${port}`,
        "--model",
        "dsr1",
        "--isl",
        "256",
        "--osl",
        "64",
        "--range-ratio",
        "1",
        "--concurrency",
        "1",
        "--num-requests",
        "3",
        "--warmup",
        "1",
        "--gpus",
        "8",
        "--max-client-lag",
        "100000",
        "--output-dir",
        out,
        "--json",
      ]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(
        "infermark: the server is infermark's simulator at speed 10: times are multiplied by 10",
      );
      const point = PointResult.parse(JSON.parse(r.stdout).levels[0].point);
      expect(point.run.source).toBe("simulated");
      // no --framework: the simulator's points are not labelled with the backend preset (vllm)
      expect(point.config.framework).toBe("sim");
      // nor with an engine version it did not give: the library's server says "dev" at /version
      expect(point.config.frameworkVersion).toBe("dev");
      expect(r.stderr).toContain("infermark: the server gives its version as dev");
      expect(point.extra?.timeScale).toBe(10);
      // measured over HTTP at 10x, scaled back: the simulator's own batch-1 TPOT (about 9 ms on 8 H200),
      // not a tenth of it
      const model = steadyState(
        resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8 }),
        256,
        64,
        1,
      );
      expect(point.metrics.tpot!.median! / model.tpotS).toBeGreaterThan(0.85);
      expect(point.metrics.tpot!.median! / model.tpotS).toBeLessThan(1.2);
    } finally {
      await sim.close();
      await rm(out, { recursive: true, force: true });
    }
  });
});
