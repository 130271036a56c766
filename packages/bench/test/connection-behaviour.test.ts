import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createHttpClient,
  type InFlightRequest,
  type RequestInput,
  runBench,
  type SendOutcome,
  TRANSPORT_KINDS,
  WorkerTransport,
} from "../src/index.js";
import {
  chunk,
  pause,
  type RawHandler,
  type RawHttpServer,
  SSE_CHUNKED_HEAD,
  startRawHttpServer,
  VLLM_EVENTS,
} from "./raw-http-server.js";
import { completionStream, startScriptedServer } from "./scripted-server.js";
import { RELAXED } from "./small-level.js";

const TLS = new URL("./fixtures/tls/", import.meta.url);
const TLS_CERT = readFileSync(new URL("localhost-cert.pem", TLS));
const TLS_KEY = readFileSync(new URL("localhost-key.pem", TLS));

// How both transports, on the main thread and in client workers, get along with what real servers do at the
// connection level: keep-alive closes, Connection: close, HTTP/1.0, 1xx, redirects, resets, refusals, IPv6, TLS.

const STREAM_BODY = VLLM_EVENTS.join("");
const CHUNKED = `${SSE_CHUNKED_HEAD + VLLM_EVENTS.map(chunk).join("")}0\r\n\r\n`;
const JSON_BODY = JSON.stringify({
  choices: [{ text: "four words of text", finish_reason: "length" }],
  usage: { prompt_tokens: 2, completion_tokens: 4 },
});

function expectComplete(o: SendOutcome): void {
  expect(o.failure).toBeUndefined();
  expect(o.events.map((e) => e.kind)).toEqual(["content", "content", "content", "usage", "done"]);
  expect(o.text).toBe("Hello!");
  expect(o.usage).toEqual({ promptTokens: 4, completionTokens: 3 });
}

function request(
  origin: string,
  o: { stream?: boolean; timeoutMs?: number; body?: unknown } = {},
): RequestInput {
  return {
    origin,
    path: "/v1/completions",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(o.body ?? { model: "m" }),
    stream: o.stream ?? true,
    // long enough that a request which should fail at once but hangs instead fails as `timeout`
    timeoutMs: o.timeoutMs ?? 20_000,
    secrets: [],
  };
}

/** Runs `fn` against a raw server answering with `handler`, then closes it. */
async function serving<T>(
  handler: RawHandler,
  fn: (raw: RawHttpServer) => Promise<T>,
  host?: string,
): Promise<T> {
  const raw = await startRawHttpServer(handler, host);
  try {
    return await fn(raw);
  } finally {
    await raw.close();
  }
}

/** Resolves once `done()` holds, looking every 10 ms (waits on a state, asserts no duration). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await pause(10);
}

async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

interface Sender {
  send(input: RequestInput): InFlightRequest;
  close(): Promise<void>;
}

const SENDERS = TRANSPORT_KINDS.flatMap((kind) =>
  [0, 2].map((workers) => ({
    kind,
    workers,
    name: `${kind} transport, ${workers > 0 ? `${workers} client workers` : "main thread"}`,
  })),
);

describe.each(SENDERS)("$name", ({ kind, workers }) => {
  let sender: Sender;
  beforeAll(async () => {
    sender = workers > 0 ? await WorkerTransport.start(workers, kind) : createHttpClient(kind);
  });
  afterAll(() => sender.close());
  // sent straight after the last one ended, as a closed loop sends: both pools hand its connection on at once
  const send = (input: RequestInput) => sender.send(input).outcome;

  const completing: [string, number, RawHandler][] = [
    [
      "Connection: close on every response",
      2,
      (_r, s) => s.end(CHUNKED.replace("chunked\r\n", "chunked\r\nconnection: close\r\n")),
    ],
    [
      "HTTP/1.0, the body running until the server closes",
      2,
      (_r, s) => s.end(`HTTP/1.0 200 OK\r\ncontent-type: text/event-stream\r\n\r\n${STREAM_BODY}`),
    ],
    [
      "HTTP/1.0 with Connection: keep-alive and a Content-Length",
      1,
      (_r, s) =>
        s.write(
          `HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: ${STREAM_BODY.length}\r\n\r\n${STREAM_BODY}`,
        ),
    ],
    [
      "a stream with a Content-Length",
      1,
      (_r, s) =>
        s.write(
          `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: ${STREAM_BODY.length}\r\n\r\n${STREAM_BODY}`,
        ),
    ],
    [
      "a response written one byte at a time",
      1,
      async (_r, s) => {
        for (const b of Buffer.from(CHUNKED)) {
          s.write(Buffer.of(b));
          await new Promise((resolve) => setImmediate(resolve));
        }
      },
    ],
    [
      "a 103 Early Hints before the response",
      1,
      (_r, s) =>
        s.write(`HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\n${CHUNKED}`),
    ],
  ];
  it.each(completing)(
    "%s: complete, on %i connection(s) for two requests",
    async (_name, connections, handler) => {
      await serving(handler, async (raw) => {
        expectComplete(await send(request(raw.url)));
        expectComplete(await send(request(raw.url)));
        expect(raw.connections).toBe(connections);
      });
    },
  );

  it("non-streaming: a Content-Length body and a chunked body", async () => {
    const answers = [
      `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${JSON_BODY.length}\r\n\r\n${JSON_BODY}`,
      `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n${chunk(JSON_BODY.slice(0, 20))}${chunk(JSON_BODY.slice(20))}0\r\n\r\n`,
    ];
    await serving(
      (req, s) => s.write(answers[JSON.parse(req.body).answer as number]!),
      async (raw) => {
        for (const answer of [0, 1]) {
          const o = await send(request(raw.url, { stream: false, body: { answer } }));
          expect(o.failure).toBeUndefined();
          expect(o.events).toEqual([{ t: o.events[0]!.t, kind: "content", tokens: 4 }]);
          expect(o.text).toBe("four words of text");
          expect(o.usage).toEqual({ promptTokens: 2, completionTokens: 4 });
        }
        expect(raw.connections).toBe(1);
      },
    );
  });

  it("a 100 Continue before the response: native reads past it; undici refuses it, as malformed", async () => {
    await serving(
      (_r, s) => s.write(`HTTP/1.1 100 Continue\r\n\r\n${CHUNKED}`),
      async (raw) => {
        const o = await send(request(raw.url));
        if (kind === "native") {
          expectComplete(o);
        } else {
          expect(o.failure).toEqual({
            category: "malformed_event",
            message:
              "malformed HTTP response (undici refused it: an interim 100 Continue that was not asked for, or bytes that answer no request; --transport native reads past a 100 Continue)",
          });
        }
      },
    );
  });

  it("a whole stream in one read, each event in its own HTTP chunk: every event, and the end, get that read's stamp", async () => {
    // METRICS.md: events from one read share the stamp. undici hands each chunk over on its own, microseconds apart;
    // stamped apart, a reply that came in one read had a TPOT of microseconds (an interactivity of 100,000 tok/s)
    await serving(
      (_r, s) => s.write(CHUNKED),
      async (raw) => {
        const o = await send(request(raw.url));
        expectComplete(o);
        expect(new Set(o.events.map((e) => e.t)).size).toBe(1);
        expect(o.tEnd).toBe(o.events[0]!.t);
      },
    );
  });

  it("a chunked stream the server closes without its last chunk: stream_cut, the events kept", async () => {
    await serving(
      (_r, s) => s.end(SSE_CHUNKED_HEAD + VLLM_EVENTS.map(chunk).join("")),
      async (raw) => {
        const o = await send(request(raw.url));
        expect(o.failure?.category).toBe("stream_cut");
        expect(o.failure?.message).toMatch(/^connection closed mid-response \(.+\)$/);
        expect(o.events.map((e) => e.kind)).toEqual([
          "content",
          "content",
          "content",
          "usage",
          "done",
        ]);
      },
    );
  });

  it("a redirect is not followed: http_status with where it pointed", async () => {
    const elsewhere = await startRawHttpServer((_r, s) => s.write(CHUNKED));
    const page = "<html>Moved</html>";
    const answers = [
      `HTTP/1.1 307 Temporary Redirect\r\nlocation: ${elsewhere.url}/v1/completions\r\ncontent-length: 0\r\n\r\n`,
      `HTTP/1.1 302 Found\r\nlocation: /login\r\ncontent-type: text/html\r\ncontent-length: ${page.length}\r\n\r\n${page}`,
    ];
    try {
      await serving(
        (req, s) => s.write(answers[JSON.parse(req.body).answer as number]!),
        async (raw) => {
          expect((await send(request(raw.url, { body: { answer: 0 } }))).failure).toEqual({
            category: "http_status",
            status: 307,
            message: `HTTP 307: a redirect to ${elsewhere.url}/v1/completions, not followed (use the address that answers as --base-url)`,
          });
          expect((await send(request(raw.url, { body: { answer: 1 } }))).failure).toEqual({
            category: "http_status",
            status: 302,
            message:
              "HTTP 302: a redirect to /login, not followed (use the address that answers as --base-url)",
          });
          expect(elsewhere.requests).toEqual([]);
        },
      );
    } finally {
      await elsewhere.close();
    }
  });

  it.each([
    ["another protocol's greeting (SSH)", "SSH-2.0-OpenSSH_9.6\r\n"],
    [
      "an HTTP/2 server's SETTINGS and GOAWAY frames",
      "\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x64\x00\x00\x08\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01",
    ],
    ["a bad status line", "HTTP/1.1 OK200\r\n\r\n"],
    ["a bad chunk size", "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n"],
  ])(
    "an answer that is not HTTP/1.x (%s): malformed_event at once, though the server keeps the connection open",
    async (_name, answer) => {
      await serving(
        (_r, s) => s.write(Buffer.from(answer, "latin1")),
        async (raw) => {
          const o = await send(request(raw.url));
          expect(o.failure?.category).toBe("malformed_event");
          expect(o.failure?.message).toMatch(/^malformed HTTP response \(.+\)$/);
        },
      );
    },
  );

  it("a level, the server closes the idle connections (its keep-alive timeout), the next level: all complete", async () => {
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(STREAM_BODY);
      });
    });
    server.keepAliveTimeout = 50; // uvicorn (vLLM, SGLang) closes after 5 s idle
    let open = 0;
    let accepted = 0;
    server.on("connection", (s) => {
      open++;
      accepted++;
      s.on("close", () => open--);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const level = () => Promise.all(Array.from({ length: 4 }, () => send(request(url))));
      for (const o of await level()) expectComplete(o);
      await until(() => open === 0);
      for (const o of await level()) expectComplete(o);
      expect(accepted).toBe(8);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it.each(["FIN", "RST"])(
    "the server closes a kept-alive connection (%s) as the next request arrives: that request is sent again on a new one",
    async (how) => {
      const seen = new Map<number, number>();
      await serving(
        (req, s) => {
          const nth = (seen.get(req.connection) ?? 0) + 1;
          seen.set(req.connection, nth);
          if (nth === 1) s.write(CHUNKED);
          else if (how === "FIN") s.end();
          else s.resetAndDestroy();
        },
        async (raw) => {
          expectComplete(await send(request(raw.url)));
          expectComplete(await send(request(raw.url)));
          expect(raw.requests.map((r) => r.connection)).toEqual([0, 0, 1]);
        },
      );
    },
  );

  it("levels where the server resets every kept-alive connection as the next level's requests arrive: each sent again, once, on a new one", async () => {
    /** The n-th request (1-based) of its connection, for each request the server read, in order. */
    const nth: number[] = [];
    const perConnection = new Map<number, number>();
    await serving(
      (req, s) => {
        const n = (perConnection.get(req.connection) ?? 0) + 1;
        perConnection.set(req.connection, n);
        nth.push(n);
        if (n === 1) s.write(CHUNKED);
        else s.resetAndDestroy();
      },
      async (raw) => {
        for (let level = 0; level < 4; level++) {
          const outcomes = await Promise.all(
            Array.from({ length: 4 }, (_, i) =>
              send(request(raw.url, { body: { id: `${level}.${i}` } })),
            ),
          );
          for (const o of outcomes) expectComplete(o);
        }
        // each request: answered as the first on its connection, or reset as a later one and then answered as the
        // first on a new connection
        const copies = new Map<string, number[]>();
        raw.requests.forEach((r, k) => {
          const { id } = JSON.parse(r.body) as { id: string };
          copies.set(id, [...(copies.get(id) ?? []), nth[k]!]);
        });
        expect(copies.size).toBe(16);
        for (const [id, seen] of copies) {
          expect([[1], [2, 1]], id).toContainEqual(seen);
        }
        expect([...copies.values()].filter((seen) => seen.length === 2).length).toBeGreaterThan(0);
      },
    );
  });

  it("a request the server drops unanswered on a new connection is not sent again: connect, closed without answering", async () => {
    await serving(
      (_r, s) => s.end(),
      async (raw) => {
        const o = await send(request(raw.url));
        expect(o.failure?.category).toBe("connect");
        expect(o.failure?.message).toMatch(
          new RegExp(
            `^${raw.url.replace(/[.[\]]/g, "\\$&")} closed the connection without answering \\(.+\\)$`,
          ),
        );
        expect(raw.requests.length).toBe(1);
      },
    );
  });

  it("a request dropped on a kept-alive connection is sent again once, not twice", async () => {
    await serving(
      (req, s) => {
        if (JSON.parse(req.body).drop) s.destroy();
        else s.write(CHUNKED);
      },
      async (raw) => {
        expectComplete(await send(request(raw.url)));
        const o = await send(request(raw.url, { body: { drop: true } }));
        expect(o.failure?.category).toBe("connect");
        expect(o.failure?.message).toMatch(/ closed the connection without answering \(.+\)$/);
        expect(raw.requests.map((r) => r.connection)).toEqual([0, 0, 1]);
      },
    );
  });

  it("a server that accepts and never answers: timeout", async () => {
    await serving(
      () => {},
      async (raw) => {
        expect((await send(request(raw.url, { timeoutMs: 300 }))).failure).toEqual({
          category: "timeout",
          message: "no complete response within 0.3 s",
        });
      },
    );
  });

  it("a connection reset mid-stream: stream_cut, the events before it kept", async () => {
    await serving(
      async (_r, s) => {
        s.write(SSE_CHUNKED_HEAD + chunk(VLLM_EVENTS[0]!));
        await pause(50);
        s.resetAndDestroy();
      },
      async (raw) => {
        const o = await send(request(raw.url));
        expect(o.failure).toEqual({
          category: "stream_cut",
          message: "connection closed mid-response (ECONNRESET: read ECONNRESET)",
        });
        expect(o.text).toBe("He");
      },
    );
  });

  it("many connections refused at once: each a connect failure that names the refusal", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => send(request(url))));
    for (const o of outcomes) {
      expect(o.failure).toEqual({
        category: "connect",
        message: `cannot reach ${url} (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port})`,
      });
    }
  });

  it("an IPv6 literal base URL: connects to [::1], Host names it with brackets", async () => {
    await serving(
      (_r, s) => s.write(CHUNKED),
      async (raw) => {
        expect(raw.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
        expectComplete(await send(request(raw.url)));
        expect(raw.requests[0]!.head).toMatch(
          new RegExp(`\r\nhost: \\[::1\\]:${raw.port}\r\n`, "i"),
        );
      },
      "::1",
    );
  });

  it("an https:// base URL for a plain HTTP server: connect, suggesting http://", async () => {
    // node:http answers the TLS hello with a plain "400 Bad Request", as plain HTTP servers do
    const server = createHttpServer((_req, res) => res.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const o = await send(request(url));
      expect(o.failure?.category).toBe("connect");
      expect(o.failure?.message).toMatch(
        new RegExp(
          `^cannot reach ${url.replace(/[.]/g, "\\.")} \\([^\\n]*wrong version number[^\\n]*\\); the server may speak plain HTTP: try http:// in --base-url$`,
        ),
      );
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("https with a certificate it does not trust: connect, saying how to trust it", async () => {
    const server = createHttpsServer({ cert: TLS_CERT, key: TLS_KEY }, (_req, res) => res.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `https://localhost:${(server.address() as AddressInfo).port}`;
    try {
      expect((await send(request(url))).failure).toEqual({
        category: "connect",
        message: `cannot reach ${url} (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate); to trust the server's certificate, run with NODE_EXTRA_CA_CERTS=<its CA certificate, PEM file>`,
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe("https with a self-signed certificate", () => {
  it("works with both transports, on the main thread and in workers, when NODE_EXTRA_CA_CERTS names it", async () => {
    const server = createHttpsServer({ cert: TLS_CERT, key: TLS_KEY }, (req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(STREAM_BODY);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `https://localhost:${(server.address() as AddressInfo).port}`;
    try {
      const child = spawn(
        process.execPath,
        [
          "--conditions=infermark-source",
          "--import",
          "tsx",
          fileURLToPath(new URL("send-once.ts", TLS)),
          url,
        ],
        {
          env: {
            ...process.env,
            NODE_EXTRA_CA_CERTS: fileURLToPath(new URL("localhost-cert.pem", TLS)),
          },
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
      });
      const code = await new Promise<number | null>((r) => child.on("close", r));
      expect(code).toBe(0);
      expect(
        out
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line)),
      ).toEqual(["native/0", "native/2", "undici/0", "undici/2"].map((way) => ({ way })));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe.each(TRANSPORT_KINDS)("%s transport: a base URL with a path prefix", (transport) => {
  it("sends every request under the prefix", async () => {
    const server = await startScriptedServer(() => ({ writes: completionStream(3, 0) }));
    try {
      const r = await runBench({
        baseUrl: `${server.url}/engine/v1`,
        model: "m",
        isl: 8,
        osl: 3,
        rangeRatio: 1,
        concurrency: [2],
        numRequests: 4,
        warmup: 0,
        preflight: true,
        transport,
        workers: 0,
        healthBounds: RELAXED,
      });
      expect(r.levels[0]!.point.validity.valid).toBe(true);
      // the test request, the model list, the level's four
      expect(server.received.map((q) => q.path).sort()).toEqual([
        ...Array.from({ length: 5 }, () => "/engine/v1/completions"),
        "/engine/v1/models",
      ]);
    } finally {
      await server.close();
    }
  });
});
