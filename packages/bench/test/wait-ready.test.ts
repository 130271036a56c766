import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { PreflightError, runBench } from "../src/index.js";
import { type NotReady, readyProbe, waitUntilReady } from "../src/run/preflight.js";
import { completionStream, startScriptedServer } from "./scripted-server.js";
import { ONE_SMALL_LEVEL } from "./small-level.js";

const KEY = "sk-wait-ready-secret";

/** A port nothing listens on (yet): taken from the kernel, then freed. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** An HTTP server on `port` that answers every request with `status` and an empty JSON object. */
async function answerOn(port: number, status: number): Promise<Server> {
  const s = createServer((_req, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end("{}");
  });
  await new Promise<void>((r) => s.listen(port, "127.0.0.1", r));
  return s;
}

const level = (baseUrl: string) => ({
  ...ONE_SMALL_LEVEL,
  baseUrl,
  model: "m",
  isl: 8,
  preflight: true,
  apiKey: KEY,
});

describe("--wait-ready", () => {
  it("waits out a server that answers 503 while it starts, then measures; the key never in what it reports", async () => {
    // the first two requests (the readiness probes) are refused as a loading engine would, echoing the key
    const server = await startScriptedServer((r, i) =>
      i < 2
        ? {
            status: 503,
            writes: [`{"error":"loading weights (${String(r.headers.authorization)})"}`],
            contentType: "application/json",
          }
        : { writes: completionStream(4, 1) },
    );
    try {
      const waits: NotReady[] = [];
      const result = await runBench(
        { ...level(server.url), waitReadyS: 30 },
        { onWaitReady: (w) => waits.push(w) },
      );
      expect(waits.map((w) => w.reason)).toEqual([
        'HTTP 503: {"error":"loading weights (Bearer ***)"}',
        'HTTP 503: {"error":"loading weights (Bearer ***)"}',
      ]);
      expect(waits[1]!.waitedS).toBeGreaterThanOrEqual(1.9);
      // 2 refused probes, the probe that was answered, the test request, 2 measured requests (and the GET of
      // /v1/models that asks whether the server is infermark's simulator)
      expect(server.received.filter((r) => !r.path.endsWith("/models"))).toHaveLength(6);
      expect(result.levels[0]!.point.metrics.completed).toBe(2);
      expect(result.interrupted).toBe(false);
    } finally {
      await server.close();
    }
  });

  it("waits for a server that does not listen yet", async () => {
    const port = await freePort();
    const waits: NotReady[] = [];
    let server: Server | undefined;
    const late = setTimeout(async () => {
      server = await answerOn(port, 200);
    }, 1000);
    try {
      const url = `http://127.0.0.1:${port}/v1/completions`;
      const ready = await waitUntilReady(readyProbe(url, {}, "{}", []), {
        baseUrl: `http://127.0.0.1:${port}`,
        waitS: 30,
        onWait: (w) => waits.push(w),
      });
      expect(ready).toBe("ready");
      expect(waits.length).toBeGreaterThanOrEqual(1);
      expect(waits[0]!.reason).toBe("connect: ECONNREFUSED");
    } finally {
      clearTimeout(late);
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    }
  });

  it("gives up after the time given, naming the last failure", async () => {
    const port = await freePort();
    const started = Date.now();
    const waits: NotReady[] = [];
    await expect(
      runBench(
        { ...level(`http://127.0.0.1:${port}`), waitReadyS: 1 },
        { onWaitReady: (w) => waits.push(w) },
      ),
    ).rejects.toThrow(
      new PreflightError(
        `the server at http://127.0.0.1:${port} did not answer the test request within --wait-ready 1 s (last: connect: ECONNREFUSED); check --base-url and the server's log`,
      ),
    );
    // it tried again at the deadline, not only once: a wait shorter than the 2 s between probes still waits
    expect(waits).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("does not wait out a refusal that waiting cannot change (a wrong key): the test request reports it", async () => {
    const port = await freePort();
    const server = await answerOn(port, 401);
    try {
      const waits: NotReady[] = [];
      const run = runBench(
        { ...level(`http://127.0.0.1:${port}`), waitReadyS: 60 },
        { onWaitReady: (w) => waits.push(w) },
      );
      await expect(run).rejects.toThrow(PreflightError);
      await expect(run).rejects.toThrow(/check the API key/);
      expect(waits).toEqual([]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("does not follow a redirect (the run's headers go to its server only) nor wait it out", async () => {
    const elsewhere: (string | undefined)[] = [];
    const other = createServer((req, res) => {
      elsewhere.push(req.headers["api-key"] as string | undefined);
      res.writeHead(200).end("{}");
    });
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/v1/completions`;
    const server = createServer((_req, res) => res.writeHead(307, { location: otherUrl }).end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const probe = readyProbe(`${url}/v1/completions`, { "api-key": "k-1" }, "{}", []);
      expect(await probe()).toEqual({
        status: 307,
        reason: `HTTP 307: a redirect to ${otherUrl}, not followed`,
      });
      const waits: NotReady[] = [];
      const ready = await waitUntilReady(probe, {
        baseUrl: url,
        waitS: 60,
        onWait: (w) => waits.push(w),
      });
      expect([ready, waits, elsewhere]).toEqual(["ready", [], []]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  it("a stop cuts short a probe that a server holds without answering", async () => {
    const server = await startScriptedServer(() => ({ hang: true }));
    try {
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 300);
      const started = Date.now();
      const ready = await waitUntilReady(
        readyProbe(`${server.url}/v1/completions`, {}, "{}", [], stop.signal),
        { baseUrl: server.url, waitS: 120, signal: stop.signal },
      );
      expect(ready).toBe("stopped");
      // not the probe's own 30 s limit
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await server.close();
    }
  });

  it("stops waiting at once when stopped (Ctrl-C), with no level run", async () => {
    const port = await freePort();
    const stop = new AbortController();
    let waits = 0;
    const run = runBench(
      { ...level(`http://127.0.0.1:${port}`), waitReadyS: 60 },
      {
        signal: stop.signal,
        onWaitReady: () => {
          waits++;
          stop.abort();
        },
      },
    );
    await expect(run).resolves.toEqual({
      levels: [],
      interrupted: true,
      timeScale: 1,
      notRun: ["c1"],
    });
    // stopped during its first wait: no second probe, and not after the 60 s
    expect(waits).toBe(1);
  });
});
