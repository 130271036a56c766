import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NativePool, type SendOutcome, sendNative } from "../src/index.js";
import {
  chunk,
  pause,
  type RawHttpServer,
  SSE_CHUNKED_HEAD,
  startRawHttpServer,
  VLLM_EVENTS,
} from "./raw-http-server.js";

const KEY = "sk-native-secret";

function send(
  pool: NativePool,
  origin: string,
  opts: {
    stream?: boolean;
    timeoutMs?: number;
    body?: string;
    headers?: Record<string, string>;
  } = {},
) {
  return sendNative({
    pool,
    origin,
    path: "/v1/completions",
    headers: opts.headers ?? {
      "content-type": "application/json",
      authorization: `Bearer ${KEY}`,
    },
    body: opts.body ?? '{"model":"m"}',
    stream: opts.stream ?? true,
    timeoutMs: opts.timeoutMs ?? 5000,
    secrets: [KEY],
  });
}

const RECORDED = Buffer.from(`${SSE_CHUNKED_HEAD + VLLM_EVENTS.map(chunk).join("")}0\r\n\r\n`);

function expectCompleteStream(o: SendOutcome): void {
  expect(o.failure).toBeUndefined();
  expect(o.events.map((e) => e.kind)).toEqual(["content", "content", "content", "usage", "done"]);
  expect(o.text).toBe("Hello!");
  expect(o.usage).toEqual({ promptTokens: 4, completionTokens: 3 });
}

describe("native transport against a raw net server", () => {
  let raw: RawHttpServer;
  /** What the raw server does with the next requests, by the `case` field of the body. */
  const cases = new Map<
    string,
    (socket: import("node:net").Socket, req: { connection: number }) => unknown
  >();
  beforeAll(async () => {
    raw = await startRawHttpServer(async (req, socket) => {
      const body = JSON.parse(req.body) as { case: string; split?: number };
      if (body.case === "split") {
        const k = body.split!;
        socket.write(RECORDED.subarray(0, k));
        await pause(1);
        socket.write(RECORDED.subarray(k));
        return;
      }
      await cases.get(body.case)?.(socket, req);
    });
  });
  afterAll(() => raw.close());

  it("reads the recorded response split at every byte offset, on one kept-alive connection", async () => {
    const pool = new NativePool(raw.url);
    const from = raw.connections;
    for (let k = 1; k < RECORDED.length; k++) {
      const o = await send(pool, raw.url, { body: JSON.stringify({ case: "split", split: k }) })
        .outcome;
      expectCompleteStream(o);
      for (let i = 1; i < o.events.length; i++) {
        expect(o.events[i]!.t).toBeGreaterThanOrEqual(o.events[i - 1]!.t);
      }
      // the end is the read holding the last chunk ("0\r\n\r\n"), at or after [DONE]'s read
      expect(o.tEnd).toBeGreaterThanOrEqual(o.events.at(-1)!.t);
    }
    expect(raw.connections - from).toBe(1);
    expect(pool.connectionsOpened).toBe(1);
    await pool.close();
  });

  it("writes the request head: Host, the caller's headers, Content-Length", async () => {
    cases.set("head", (s) => s.write("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"));
    const pool = new NativePool(raw.url);
    const body = JSON.stringify({ case: "head", prompt: "héllo" });
    await send(pool, raw.url, {
      body,
      headers: { "content-type": "application/json", authorization: "Bearer k", "X-Extra": "1" },
    }).outcome;
    expect(raw.requests.at(-1)!.head).toBe(
      `POST /v1/completions HTTP/1.1\r\nhost: 127.0.0.1:${raw.port}\r\ncontent-type: application/json\r\n` +
        `authorization: Bearer k\r\nX-Extra: 1\r\ncontent-length: ${Buffer.byteLength(body)}`,
    );
    expect(raw.requests.at(-1)!.body).toBe(body);
    await pool.close();
  });

  it("a socket closed mid-chunk is stream_cut; the events before it are kept", async () => {
    cases.set("cut", async (s) => {
      s.write(SSE_CHUNKED_HEAD + chunk(VLLM_EVENTS[0]!) + chunk(VLLM_EVENTS[1]!).slice(0, 20));
      await pause(5);
      s.destroy();
    });
    const pool = new NativePool(raw.url);
    const o = await send(pool, raw.url, { body: '{"case":"cut"}' }).outcome;
    expect(o.failure).toEqual({
      category: "stream_cut",
      message: "connection closed mid-response (E_HTTP_CLOSED: the server closed the connection)",
    });
    expect(o.events.map((e) => e.kind)).toEqual(["content"]);
    expect(o.text).toBe("He");
    expect(pool.connections).toBe(0);
    await pool.close();
  });

  it("a 5xx with a Content-Length body keeps the body for the message and the connection for reuse", async () => {
    const errorBody = `{"error":{"message":"overloaded, key ${KEY}"}}`;
    cases.set("e503", (s) =>
      s.write(
        `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: ${errorBody.length}\r\n\r\n${errorBody}`,
      ),
    );
    cases.set("ok", (s) => s.write(RECORDED));
    const pool = new NativePool(raw.url);
    const o = await send(pool, raw.url, { body: '{"case":"e503"}' }).outcome;
    expect(o.failure).toEqual({
      category: "http_status",
      status: 503,
      message: 'HTTP 503: {"error":{"message":"overloaded, key ***"}}',
    });
    expectCompleteStream(await send(pool, raw.url, { body: '{"case":"ok"}' }).outcome);
    expect(pool.connectionsOpened).toBe(1);
    await pool.close();
  });

  it("a kept-alive connection the server drops as the next request arrives: sent again on a new one", async () => {
    cases.set("once-then-drop", (s, req) => {
      // the second request on the first connection is dropped unanswered
      const onFirst = raw.requests.filter((r) => r.connection === req.connection).length;
      if (onFirst === 2) s.destroy();
      else s.write(RECORDED);
    });
    const pool = new NativePool(raw.url);
    const from = raw.connections;
    const seen = raw.requests.length;
    expectCompleteStream(await send(pool, raw.url, { body: '{"case":"once-then-drop"}' }).outcome);
    expectCompleteStream(await send(pool, raw.url, { body: '{"case":"once-then-drop"}' }).outcome);
    expect(raw.requests.length - seen).toBe(3);
    expect(raw.connections - from).toBe(2);
    await pool.close();
  });

  it("an idle connection the server closed (its keep-alive timeout) is not reused", async () => {
    cases.set("answer-then-close", async (s) => {
      s.write(RECORDED);
      await pause(20);
      s.end();
    });
    const pool = new NativePool(raw.url);
    const from = raw.connections;
    const seen = raw.requests.length;
    expectCompleteStream(
      await send(pool, raw.url, { body: '{"case":"answer-then-close"}' }).outcome,
    );
    await pause(200);
    expect(pool.connections).toBe(0);
    expectCompleteStream(
      await send(pool, raw.url, { body: '{"case":"answer-then-close"}' }).outcome,
    );
    expect(raw.requests.length - seen).toBe(2);
    expect(raw.connections - from).toBe(2);
    await pool.close();
  });

  it("a malformed response head fails as malformed_event", async () => {
    cases.set("garbage", (s) => s.end("HTTP/1.1 OK200\r\n\r\n"));
    const pool = new NativePool(raw.url);
    const o = await send(pool, raw.url, { body: '{"case":"garbage"}' }).outcome;
    expect(o.failure).toEqual({
      category: "malformed_event",
      message: 'malformed HTTP response (bad status line "HTTP/1.1 OK200")',
    });
    await pool.close();
  });

  it("cancel mid-stream: cancelled, events so far kept, connection closed", async () => {
    cases.set("slow", async (s) => {
      s.write(SSE_CHUNKED_HEAD + chunk(VLLM_EVENTS[0]!));
      await pause(2000);
      if (!s.destroyed) s.write(chunk(VLLM_EVENTS[1]!));
    });
    const pool = new NativePool(raw.url);
    const r = send(pool, raw.url, { body: '{"case":"slow"}' });
    await pause(100);
    r.cancel();
    const o = await r.outcome;
    expect(o.failure).toEqual({
      category: "cancelled",
      message: "cancelled before the response ended",
    });
    expect(o.events.map((e) => e.kind)).toEqual(["content"]);
    expect(o.tEnd - o.tSend).toBeLessThan(1500);
    expect(pool.connections).toBe(0);
    await pool.close();
  });

  it("non-streaming: a Content-Length body and a close-delimited body", async () => {
    const json = JSON.stringify({
      choices: [{ text: "four words of text", finish_reason: "length" }],
      usage: { prompt_tokens: 2, completion_tokens: 4 },
    });
    cases.set("length", async (s) => {
      s.write(`HTTP/1.1 200 OK\r\ncontent-length: ${json.length}\r\n\r\n${json.slice(0, 9)}`);
      await pause(3);
      s.write(json.slice(9));
    });
    cases.set("eof", async (s) => {
      s.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n${json.slice(0, 9)}`);
      await pause(3);
      s.end(json.slice(9));
    });
    const pool = new NativePool(raw.url);
    for (const name of ["length", "eof"]) {
      const o = await send(pool, raw.url, { stream: false, body: `{"case":"${name}"}` }).outcome;
      expect(o.failure).toBeUndefined();
      expect(o.events).toEqual([{ t: o.events[0]!.t, kind: "content", tokens: 4 }]);
      // the body's last read; a close-delimited body ends later, at the end of file
      if (name === "length") expect(o.events[0]!.t).toBe(o.tEnd);
      else expect(o.events[0]!.t).toBeLessThanOrEqual(o.tEnd);
      expect(o.text).toBe("four words of text");
      expect(o.usage).toEqual({ promptTokens: 2, completionTokens: 4 });
    }
    // the close-delimited body closed its connection
    expect(pool.connections).toBe(0);
    expect(pool.connectionsOpened).toBe(1);
    await pool.close();
  });
});

describe("native transport against node:http and node:https servers", () => {
  let server: Server;
  let url: string;
  let accepted = 0;
  let closeAfterResponse = false;
  const answer = (res: import("node:http").ServerResponse) => {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      ...(closeAfterResponse ? { connection: "close" } : {}),
    });
    for (const e of VLLM_EVENTS) res.write(e);
    res.end();
  };
  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      req.resume();
      req.on("end", () => answer(res));
    });
    server.on("connection", () => accepted++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("keep-alive: one connection serves sequential requests", async () => {
    closeAfterResponse = false;
    const pool = new NativePool(url);
    const from = accepted;
    for (let i = 0; i < 4; i++) expectCompleteStream(await send(pool, url).outcome);
    expect(accepted - from).toBe(1);
    expect(pool.connections).toBe(1);
    await pool.close();
    expect(pool.connections).toBe(0);
  });

  it("concurrent requests open one connection each, then reuse them", async () => {
    closeAfterResponse = false;
    const pool = new NativePool(url);
    const from = accepted;
    const round = () => Promise.all(Array.from({ length: 5 }, () => send(pool, url).outcome));
    for (const o of await round()) expectCompleteStream(o);
    for (const o of await round()) expectCompleteStream(o);
    expect(accepted - from).toBe(5);
    expect(pool.connectionsOpened).toBe(5);
    await pool.close();
  });

  it("Connection: close from the server: every request on a new connection, all complete", async () => {
    closeAfterResponse = true;
    const pool = new NativePool(url);
    const from = accepted;
    for (let i = 0; i < 3; i++) expectCompleteStream(await send(pool, url).outcome);
    expect(accepted - from).toBe(3);
    await pause(20);
    expect(pool.connections).toBe(0);
    await pool.close();
  });

  it("a TLS handshake the server never answers: connect, when the connect timeout ends", async () => {
    // reads (and drops) the TLS hello, so it sees the client close
    const silent = createNetServer((s) => s.on("error", () => {}).resume());
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const origin = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const pool = new NativePool(origin, { connectTimeoutMs: 300 });
    try {
      // the request's own limit is later: the connect timeout ends it first (timers fire in order, however late)
      expect((await send(pool, origin, { timeoutMs: 500 }).outcome).failure).toEqual({
        category: "connect",
        message: `cannot reach ${origin} (ETIMEDOUT: connect timeout (300 ms))`,
      });
    } finally {
      await pool.close();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("https: the same stream over TLS", async () => {
    const dir = new URL("./fixtures/tls/", import.meta.url);
    const cert = readFileSync(new URL("localhost-cert.pem", dir));
    const tlsServer = createHttpsServer(
      { cert, key: readFileSync(new URL("localhost-key.pem", dir)) },
      (req, res) => {
        req.resume();
        req.on("end", () => answer(res));
      },
    );
    await new Promise<void>((resolve) => tlsServer.listen(0, "127.0.0.1", resolve));
    const port = (tlsServer.address() as AddressInfo).port;
    try {
      closeAfterResponse = false;
      const origin = `https://localhost:${port}`;
      const pool = new NativePool(origin, { ca: cert });
      expectCompleteStream(await send(pool, origin).outcome);
      expectCompleteStream(await send(pool, origin).outcome);
      expect(pool.connectionsOpened).toBe(1);
      await pool.close();
      // without trusting the certificate the connection is refused as `connect`
      const strict = new NativePool(origin);
      const o = await send(strict, origin).outcome;
      expect(o.failure?.category).toBe("connect");
      expect(o.failure?.message).toContain("self-signed certificate");
      await strict.close();
    } finally {
      tlsServer.closeAllConnections();
      await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
    }
  });
});
