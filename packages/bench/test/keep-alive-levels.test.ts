import { describe, expect, it } from "vitest";
import { createHttpClient, type RequestInput, runBench, TRANSPORT_KINDS } from "../src/index.js";
import { chunk, SSE_CHUNKED_HEAD, startRawHttpServer, VLLM_EVENTS } from "./raw-http-server.js";
import { RELAXED } from "./small-level.js";

// What both transports do with kept-alive connections that a server closes while idle (uvicorn, which serves vLLM and
// SGLang, closes them after 5 s: the pause between two levels), counted in the sockets the server accepts.

const CHUNKED = `${SSE_CHUNKED_HEAD + VLLM_EVENTS.map(chunk).join("")}0\r\n\r\n`;
const LEVELS = [4, 2, 3];

const RUNS = TRANSPORT_KINDS.flatMap((transport) =>
  [0, 2].map((workers) => ({
    transport,
    workers,
    name: `${transport} transport, ${workers > 0 ? `${workers} client workers` : "main thread"}`,
  })),
);

describe.each(RUNS)("$name", ({ transport, workers }) => {
  it("levels whose idle connections the server closes as the next level's requests arrive: each replaced once, the new one kept", async () => {
    // at each level's start every open connection has been idle past the server's keep-alive timeout: the first
    // request that arrives on one is answered by closing it (FIN, nothing written), as a server does whose timeout
    // fires while the request is on its way
    const expired = new Set<number>();
    const answered = new Set<number>();
    const completions = new Set<number>();
    let dropped = 0;
    const raw = await startRawHttpServer((req, socket) => {
      if (!req.head.startsWith("POST ")) {
        socket.write("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
        return;
      }
      completions.add(req.connection);
      if (expired.delete(req.connection)) {
        dropped++;
        socket.end();
        return;
      }
      answered.add(req.connection);
      socket.write(CHUNKED);
    });
    try {
      const result = await runBench(
        {
          baseUrl: raw.url,
          model: "m",
          isl: 8,
          osl: 3,
          rangeRatio: 1,
          concurrency: LEVELS,
          numRequests: 12,
          warmup: 0,
          transport,
          workers,
          config: { frameworkVersion: "0" },
          healthBounds: RELAXED,
        },
        {
          onLevelStart: () => {
            for (const c of answered) expired.add(c);
            answered.clear();
          },
        },
      );
      for (const level of result.levels) {
        expect(level.records.map((r) => r.error)).toEqual(level.records.map(() => undefined));
      }
      // each level after the first finds every connection expired: its first c requests are each dropped and sent
      // again once on a new connection, which the pool keeps for the level's other requests; so a pooled client
      // opens c connections per level (4 + 2 + 3), and a request sent again on a connection the pool does not keep
      // would open one more each
      expect(dropped).toBe(2 + 3);
      expect(completions.size).toBe(4 + 2 + 3);
      expect(raw.requests.filter((r) => r.head.startsWith("POST ")).length).toBe(3 * 12 + 5);
    } finally {
      await raw.close();
    }
  });
});

describe.each(TRANSPORT_KINDS)("%s transport", (kind) => {
  it.each([
    ["a bad status line", "HTTP/1.1 OK200\r\n\r\n", "malformed_event"],
    ["half a status line, then a close", "HTTP/1.1 20", "connect"],
  ])(
    "a kept-alive connection that answers %s: the request is not sent again (the server had begun to answer)",
    async (_name, answer, category) => {
      const raw = await startRawHttpServer((req, socket) => {
        if (JSON.parse(req.body).second) socket.end(answer);
        else socket.write(CHUNKED);
      });
      const client = createHttpClient(kind);
      const request = (body: unknown): RequestInput => ({
        origin: raw.url,
        path: "/v1/completions",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        stream: true,
        timeoutMs: 20_000,
        secrets: [],
      });
      try {
        expect((await client.send(request({})).outcome).failure).toBeUndefined();
        const { failure } = await client.send(request({ second: true })).outcome;
        expect(failure?.category).toBe(category);
        expect(raw.requests.map((r) => r.connection)).toEqual([0, 0]);
      } finally {
        await client.close();
        await raw.close();
      }
    },
  );
});
