import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createHttpClient,
  runBench,
  type SendOutcome,
  TRANSPORT_KINDS,
  type TransportKind,
} from "../src/index.js";
import {
  completionStream,
  type Script,
  type ScriptedServer,
  sse,
  startScriptedServer,
} from "./scripted-server.js";
import { RELAXED } from "./small-level.js";

const scripts = new Map<string, Script>();
let server: ScriptedServer;
const clients = { native: createHttpClient("native"), undici: createHttpClient("undici") };
/** The transport of the describe block running now (blocks of a file run one after another). */
let transport: TransportKind = "native";

beforeAll(async () => {
  server = await startScriptedServer(
    (r) => scripts.get(String(r.body.model)) ?? { writes: completionStream(3, 0) },
  );
});
afterAll(async () => {
  await Promise.all(Object.values(clients).map((c) => c.close()));
  await server.close();
});

async function run(
  name: string,
  script: Script,
  timeoutMs = 5000,
  url = server.url,
): Promise<SendOutcome> {
  scripts.set(name, script);
  const { outcome } = clients[transport].send({
    origin: url,
    path: "/v1/completions",
    headers: { "content-type": "application/json", authorization: "Bearer sk-secret-123" },
    body: JSON.stringify({ model: name }),
    stream: true,
    timeoutMs,
    secrets: ["sk-secret-123"],
  });
  return outcome;
}

/** A plain HTTP server on `port` that answers every POST with a 3-token completions stream. */
async function answerAt(port: number): Promise<HttpServer> {
  const http = createHttpServer(async (req, res) => {
    for await (const _ of req);
    res.writeHead(req.method === "POST" ? 200 : 404, { "content-type": "text/event-stream" });
    res.end(req.method === "POST" ? completionStream(3, 0).join("") : "");
  });
  await new Promise<void>((r) => http.listen(port, "127.0.0.1", r));
  return http;
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe.each(TRANSPORT_KINDS)("request faults (%s transport)", (kind) => {
  beforeAll(() => {
    transport = kind;
  });

  it("unreachable server: connect", async () => {
    const port = await closedPort();
    const o = await run("x", { writes: [] }, 5000, `http://127.0.0.1:${port}`);
    expect(o.failure?.category).toBe("connect");
    expect(o.failure?.message).toContain("ECONNREFUSED");
  });

  it("HTTP 4xx and 5xx: http_status with the status and the body's start, secrets redacted", async () => {
    const o = await run("e429", {
      status: 429,
      contentType: "application/json",
      writes: ['{"error":"rate limited for key sk-secret-123"}'],
    });
    expect(o.failure).toEqual({
      category: "http_status",
      status: 429,
      message: 'HTTP 429: {"error":"rate limited for key ***"}',
    });
    const o5 = await run("e503", { status: 503, writes: [] });
    expect(o5.failure).toEqual({ category: "http_status", status: 503, message: "HTTP 503" });
  });

  it("a key that the body's 200-character start would cut in two is redacted whole", async () => {
    // the key starts at character 195 of the body: cut first and redacted after, "sk-se" leaked
    const pad = "y".repeat(195);
    const o = await run("e401", { status: 401, writes: [`${pad}sk-secret-123 was refused`] });
    // redacted, then cut to the body's first 200 characters
    expect(o.failure).toEqual({
      category: "http_status",
      status: 401,
      message: `HTTP 401: ${pad}*** w`,
    });
  });

  it("a long key that the kept start of an error body would end in is read whole and redacted", async () => {
    // a 150-character key from the body's character 190, the body in three writes: the client kept 300 characters
    // of it, so the key ended cut (not redacted) and its first 10 characters were left in the 200 shown
    const key = `sk-proj-${"k".repeat(142)}`;
    scripts.set("longkey", {
      status: 401,
      writes: ["y".repeat(190), 20, key.slice(0, 110), 20, `${key.slice(110)} was refused`],
    });
    const o = await clients[transport].send({
      origin: server.url,
      path: "/v1/completions",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: "longkey" }),
      stream: true,
      timeoutMs: 5000,
      secrets: [key],
    }).outcome;
    expect(o.failure).toEqual({
      category: "http_status",
      status: 401,
      message: `HTTP 401: ${"y".repeat(190)}*** was re`,
    });
  });

  it("an error object in the stream whose JSON would be cut inside the key is redacted whole", async () => {
    // no `message` field: the object's JSON is the message; the key spans its 200th character
    const detail = `${"z".repeat(180)} sk-secret-123`;
    const o = await run("estream", {
      writes: [sse({ choices: [{ text: "a" }] }), sse({ error: { detail } })],
    });
    expect(o.failure?.category).toBe("server_error");
    expect(o.failure?.message).not.toContain("sk-se");
    expect(o.failure?.message).toBe(`error in stream: {"detail":"${"z".repeat(180)} ***"}`);
  });

  it("framing headers the caller gives are left to the transport, which writes its own", async () => {
    // before, undici refused them and every request failed as "connect: cannot reach ..."; native dropped them
    scripts.set("framing", { writes: completionStream(3, 0) });
    const body = JSON.stringify({ model: "framing" });
    const before = server.received.length;
    const o = await clients[transport].send({
      origin: server.url,
      path: "/v1/completions",
      headers: {
        "content-type": "application/json",
        "Content-Length": "5",
        "transfer-encoding": "chunked",
        connection: "upgrade",
        "keep-alive": "timeout=1",
      },
      body,
      stream: true,
      timeoutMs: 5000,
      secrets: [],
    }).outcome;
    expect(o.failure).toBeUndefined();
    const got = server.received
      .slice(before)
      .map((r) => [r.body.model, r.headers["content-length"], r.headers["transfer-encoding"]]);
    expect(got).toEqual([["framing", String(Buffer.byteLength(body)), undefined]]);
  });

  it("per-request timeout: timeout", async () => {
    const o = await run("hang", { hang: true }, 150);
    expect(o.failure).toEqual({
      category: "timeout",
      message: "no complete response within 0.15 s",
    });
    expect(o.tEnd - o.tSend).toBeGreaterThanOrEqual(140);
  });

  it("timeout after the stream started keeps the events received", async () => {
    const o = await run(
      "slow",
      { writes: [sse({ choices: [{ text: "a" }] }), 1000, sse("[DONE]")] },
      200,
    );
    expect(o.failure?.category).toBe("timeout");
    expect(o.events.map((e) => e.kind)).toEqual(["content"]);
  });

  it("stream cut mid-response: stream_cut", async () => {
    const o = await run("cut", { writes: [sse({ choices: [{ text: "a" }] }), 10], cut: true });
    expect(o.failure?.category).toBe("stream_cut");
  });

  it("stream that ends cleanly without [DONE] or a finish reason: stream_cut", async () => {
    const o = await run("short", { writes: [sse({ choices: [{ text: "a" }] })] });
    expect(o.failure).toEqual({
      category: "stream_cut",
      message: "stream ended without [DONE] or a finish_reason",
    });
  });

  it("malformed SSE: a non-JSON data line fails as malformed_event", async () => {
    const o = await run("bad", {
      writes: [sse({ choices: [{ text: "a" }] }), "data: {oops\n\n", sse("[DONE]")],
    });
    expect(o.failure?.category).toBe("malformed_event");
  });

  it("empty completion: empty_output", async () => {
    const o = await run("empty", {
      writes: [
        sse({ choices: [{ text: "", finish_reason: "stop" }] }),
        sse({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 0 } }),
        sse("[DONE]"),
      ],
    });
    expect(o.failure).toEqual({
      category: "empty_output",
      message: "the response carried no generated token",
    });
  });
});

describe("faults in a run (default transport)", () => {
  it("a run goes on past failures; a level over 5% errors is invalid", async () => {
    scripts.set("m1", { writes: [] });
    const base = {
      isl: 8,
      osl: 3,
      rangeRatio: 1,
      concurrency: [2],
      numRequests: 20,
      warmup: 0,
      healthBounds: RELAXED,
    };
    // every 10th request (by arrival) answers 500: 2 of 20 = 10%
    const flaky = await startScriptedServer((_r, i) =>
      i % 10 === 9 ? { status: 500, writes: [] } : { writes: completionStream(3, 0) },
    );
    try {
      const { levels } = await runBench({ ...base, baseUrl: flaky.url, model: "flaky" });
      const point = levels[0]!.point;
      expect(point.metrics.completed).toBe(18);
      expect(point.errors).toMatchObject({
        total: 2,
        requests: 20,
        rate: 0.1,
        byCategory: { http_status: 2 },
      });
      expect(point.validity.valid).toBe(false);
      expect(point.validity.reasons).toEqual(["error rate 10.0% exceeds 5%"]);
    } finally {
      await flaky.close();
    }
  });

  it("stops when the server stops answering, instead of running the levels left against nothing", async () => {
    const dying = await startScriptedServer(() => ({ writes: completionStream(3, 0) }));
    const port = dying.url.split(":").at(-1);
    const seen: string[] = [];
    const result = await runBench(
      {
        baseUrl: dying.url,
        model: "m",
        isl: 8,
        osl: 3,
        rangeRatio: 1,
        concurrency: [1, 2, 4, 8],
        numRequests: 2,
        warmup: 0,
        healthBounds: RELAXED,
      },
      {
        // the server goes away once c1 is over: c2 finds nothing, and c4 and c8 are not run
        onLevel: async ({ label }) => {
          seen.push(label);
          if (label === "c1") await dying.close();
        },
      },
    );
    expect(seen).toEqual(["c1", "c2"]);
    expect(result.levels.map((l) => l.point.errors.byCategory)).toEqual([{}, { connect: 2 }]);
    expect(result.interrupted).toBe(true);
    expect(result.notRun).toEqual(["c4", "c8"]);
    expect(result.stopReason).toMatch(
      new RegExp(
        `^the server at http://127\\.0\\.0\\.1:${port} stopped answering during c2 \\(connect: cannot reach .*ECONNREFUSED.*\\)$`,
      ),
    );
  });

  it("goes on when a level's requests failed to connect but the server answers again", async () => {
    const first = await startScriptedServer(() => ({ writes: completionStream(3, 0) }));
    const port = Number(first.url.split(":").at(-1));
    let again: HttpServer | undefined;
    try {
      const result = await runBench(
        {
          baseUrl: first.url,
          model: "m",
          isl: 8,
          osl: 3,
          rangeRatio: 1,
          concurrency: [1, 2, 4],
          numRequests: 2,
          warmup: 0,
          healthBounds: RELAXED,
        },
        {
          // down during c2, back (a restarted server on the same port) before c4
          onLevel: async ({ label }) => {
            if (label === "c1") await first.close();
            if (label === "c2") again = await answerAt(port);
          },
        },
      );
      expect(result.levels.map((l) => [l.label, l.point.metrics.completed])).toEqual([
        ["c1", 2],
        ["c2", 0],
        ["c4", 2],
      ]);
      expect([result.interrupted, result.notRun, result.stopReason]).toEqual([
        false,
        [],
        undefined,
      ]);
    } finally {
      await new Promise((r) => (again ? again.close(r) : r(undefined)));
    }
  });

  it("a server that ignores max_tokens makes the point invalid", async () => {
    const { levels } = await runBench({
      baseUrl: server.url,
      model: "ignores",
      isl: 8,
      osl: 3,
      rangeRatio: 1,
      concurrency: [1],
      numRequests: 2,
      warmup: 0,
      healthBounds: RELAXED,
    });
    scripts.set("ignores", { writes: completionStream(5, 0) });
    const point = levels[0]!.point;
    // the default script gives 3 tokens for max_tokens 3: valid
    expect(point.validity.valid).toBe(true);
    const again = await runBench({
      baseUrl: server.url,
      model: "ignores",
      isl: 8,
      osl: 3,
      rangeRatio: 1,
      concurrency: [1],
      numRequests: 2,
      warmup: 0,
      healthBounds: RELAXED,
    });
    expect(again.levels[0]!.point.validity.reasons).toEqual([
      "server ignored max_tokens: 2 of 2 requests returned more tokens than asked",
    ]);
    expect(again.levels[0]!.point.extra?.outputLength).toEqual({
      checked: 2,
      exceeded: 2,
      short: 0,
    });
  });
});
