import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { watch } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { PointResult } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnCli, tempDir } from "./helpers.js";

// What `infermark bench` leaves in its output folder when it is stopped or killed during a level or while it writes
// a level's files, and what the next run into that folder says about it: nothing half-written may look like a
// result, nothing finished may be lost.

const sse = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
/** Completions answered at once; the ones after them stream a token every 20 ms until the client goes away. */
let answerAtOnce = 0;
/** Tokens of each answer given at once (its events make the level's records file large or small). */
let tokens = 2;
let server: Server;
let url: string;
/** Called as each endless stream starts (`streamsOpen` sets it). */
let onStream: (() => void) | undefined;

/** Resolves once `n` endless streams have started from now: the level's requests are then in flight. */
function streamsOpen(n: number): Promise<void> {
  return new Promise((resolve) => {
    let open = 0;
    onStream = () => {
      if (++open === n) resolve();
    };
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (req.method === "GET") {
      res.writeHead(404).end();
      return;
    }
    for await (const _ of req);
    res.writeHead(200, { "content-type": "text/event-stream" });
    if (answerAtOnce-- > 0) {
      let body = "";
      for (let i = 0; i < tokens; i++) body += sse({ choices: [{ text: ` w${i}` }] });
      res.end(
        `${body}${sse({ choices: [], usage: { prompt_tokens: 8, completion_tokens: tokens } })}data: [DONE]\n\n`,
      );
      return;
    }
    const timer = setInterval(() => res.write(sse({ choices: [{ text: " w" }] })), 20);
    res.on("close", () => clearInterval(timer));
    onStream?.();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

const bench = (out: string, levels: string, requests: number) => [
  "bench",
  ...[
    "--base-url",
    url,
    "--model",
    "m",
    "--isl",
    "8",
    "--osl",
    String(tokens),
    "--range-ratio",
    "1",
  ],
  ...["--concurrency", levels, "--num-requests", String(requests), "--warmup", "0"],
  ...["--output-dir", out, "--save-requests", "--no-preflight", "--max-client-lag", "100000"],
  ...["--framework-version", "0", "--workers", "0"],
];

/** Resolves once the child's stderr holds `text`. */
function stderrShows(child: ChildProcessWithoutNullStreams, text: string): Promise<string> {
  return new Promise((resolve) => {
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
      if (err.includes(text)) resolve(err);
    });
  });
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on("close", (code, signal) => r({ code, signal })),
  );

/** The level's point (checked against the schema) and its records file's lines. */
/** Every file of a run of levels 1 and 2 with its records saved, in name order. */
const BOTH_LEVELS = ["point-c1.json", "point-c2.json", "requests-c1.jsonl", "requests-c2.jsonl"];

/** A run of levels 1 and 2, two requests each, of two-token replies sent at once, into `<dir>/out`; no API key. */
function startTwoLevels(dir: string) {
  tokens = 2;
  answerAtOnce = 2;
  const out = join(dir, "out");
  const child = spawnCli(bench(out, "1,2", 2), {
    env: { OPENAI_API_KEY: "", INFERMARK_API_KEY: "" },
  });
  return { out, child };
}

async function levelFiles(out: string, label: string) {
  const point = PointResult.parse(
    JSON.parse(await readFile(join(out, `point-${label}.json`), "utf8")),
  );
  const lines = (await readFile(join(out, `requests-${label}.jsonl`), "utf8")).split("\n");
  expect(lines.pop()).toBe("");
  return { point, records: lines.map((l) => JSON.parse(l) as { index: number }) };
}

describe("infermark bench stopped or killed", () => {
  it("killed (SIGKILL) during a level: the finished level's files are whole, nothing of the killed one is there", async () => {
    const dir = await tempDir("infermark-killed-");
    try {
      const { out, child } = startTwoLevels(dir.dir);
      await stderrShows(child, "[c2] start");
      child.kill("SIGKILL");
      expect(await exited(child)).toEqual({ code: null, signal: "SIGKILL" });
      expect((await readdir(out)).sort()).toEqual(["point-c1.json", "requests-c1.jsonl"]);
      const c1 = await levelFiles(out, "c1");
      expect(c1.point.metrics.completed).toBe(2);
      expect(c1.records.map((r) => r.index)).toEqual([0, 1]);
    } finally {
      await dir.cleanup();
    }
  });

  it("Ctrl-C twice during a level: the requests are cancelled and the level is written whole, marked incomplete", async () => {
    const dir = await tempDir("infermark-stopped-");
    try {
      const { out, child } = startTwoLevels(dir.dir);
      const stopping = stderrShows(child, "Ctrl-C again cancels them");
      // both of c2's requests in flight ("[c2] start" comes before they are sent: stopped then, c2 had none)
      await streamsOpen(2);
      child.kill("SIGINT");
      await stopping;
      child.kill("SIGINT");
      expect(await exited(child)).toEqual({ code: 1, signal: null });
      expect((await readdir(out)).sort()).toEqual(BOTH_LEVELS);
      const c2 = await levelFiles(out, "c2");
      expect(c2.point.validity.valid).toBe(false);
      expect(c2.records.length).toBe(2);
    } finally {
      await dir.cleanup();
    }
  });

  it("SIGHUP (the terminal closed) during a level: stopped as by SIGTERM, every level written, the stopped one incomplete, exit 129", async () => {
    const dir = await tempDir("infermark-hangup-");
    try {
      const { out, child } = startTwoLevels(dir.dir);
      const said = stderrShows(child, "SIGHUP: stopping");
      await streamsOpen(2);
      child.kill("SIGHUP");
      expect((await said).split("\n")).toContain(
        "infermark: SIGHUP: stopping; cancelling the requests in flight",
      );
      expect(await exited(child)).toEqual({ code: 129, signal: null });
      expect((await readdir(out)).sort()).toEqual(BOTH_LEVELS);
      const c2 = await levelFiles(out, "c2");
      expect([c2.point.incomplete, c2.point.validity.valid, c2.records.length]).toEqual([
        true,
        false,
        2,
      ]);
    } finally {
      await dir.cleanup();
    }
  });

  it("SIGHUP after its stdout and stderr are gone (every line it writes then fails): the files are still written", async () => {
    const dir = await tempDir("infermark-hangup-closed-");
    try {
      const { out, child } = startTwoLevels(dir.dir);
      const inFlight = streamsOpen(2);
      await stderrShows(child, "[c2] start");
      await inFlight;
      // the reading ends closed, as a terminal that went away: the run's next line (the SIGHUP's) fails with EPIPE
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
        child.on("exit", (code, signal) => r({ code, signal })),
      );
      child.stdout.destroy();
      child.stderr.destroy();
      child.kill("SIGHUP");
      expect(await ended).toEqual({ code: 129, signal: null });
      expect((await readdir(out)).sort()).toEqual(BOTH_LEVELS);
      const c2 = await levelFiles(out, "c2");
      expect([c2.point.incomplete, c2.records.length]).toEqual([true, 2]);
    } finally {
      await dir.cleanup();
    }
  });

  it("killed while it writes a level's records: the unfinished file is named as no result is, and the next run into the folder says so", async () => {
    const dir = await tempDir("infermark-killed-writing-");
    try {
      // 120 answers of 1,000 one-token events: a records file of some MB, written over many event-loop turns
      tokens = 1000;
      answerAtOnce = 120;
      const out = join(dir.dir, "out");
      const child = spawnCli(bench(out, "4", 120), {
        env: { OPENAI_API_KEY: "", INFERMARK_API_KEY: "" },
      });
      await stderrShows(child, "[c4] start");
      // killed as soon as the records' temporary file appears, while the lines are being written
      const watcher = watch(out, (_event, name) => {
        if (name?.startsWith("requests-c4.jsonl.") && name.endsWith(".tmp")) child.kill("SIGKILL");
      });
      await exited(child);
      watcher.close();
      const left = (await readdir(out)).sort();
      expect(left.length).toBe(2);
      expect(left[0]).toBe("point-c4.json");
      expect(left[1]).toMatch(
        new RegExp(`^requests-c4\\.jsonl\\.${child.pid}\\.[0-9a-f]{8}\\.tmp$`),
      );
      // the level's point is whole; the records are not, and nothing reads them as the level's
      expect(
        PointResult.parse(JSON.parse(await readFile(join(out, "point-c4.json"), "utf8"))).metrics
          .completed,
      ).toBe(120);

      tokens = 2;
      answerAtOnce = 1;
      const again = await runCli(bench(out, "1", 1), {
        env: { OPENAI_API_KEY: "", INFERMARK_API_KEY: "" },
      });
      expect(again.code).toBe(0);
      expect(again.stderr.split("\n")[0]).toBe(
        `infermark: warning: ${out} holds ${left[1]}: unfinished, left by a run killed while it wrote them (not results: remove them), unless another run is writing into ${out} now`,
      );
      expect((await readdir(out)).sort()).toEqual([
        "point-c1.json",
        "point-c4.json",
        "requests-c1.jsonl",
        left[1],
      ]);
    } finally {
      await dir.cleanup();
    }
  });
});

describe("a run's leftover temporary files", () => {
  it("are named in one warning line, an earlier version's fixed name too; other files are not", async () => {
    const dir = await tempDir("infermark-leftover-");
    try {
      const out = dir.dir;
      for (const name of ["requests-c2.jsonl.tmp", "point-c8.json.77.0a1b2c3d.tmp", "notes.tmp"])
        await writeFile(join(out, name), "");
      tokens = 2;
      answerAtOnce = 1;
      const r = await runCli(bench(out, "1", 1), {
        env: { OPENAI_API_KEY: "", INFERMARK_API_KEY: "" },
      });
      expect(r.code).toBe(0);
      expect(r.stderr.split("\n")[0]).toBe(
        `infermark: warning: ${out} holds point-c8.json.77.0a1b2c3d.tmp, requests-c2.jsonl.tmp: unfinished, left by a run killed while it wrote them (not results: remove them), unless another run is writing into ${out} now`,
      );
    } finally {
      await dir.cleanup();
    }
  });
});
