// A scripted SSE server for the client-accuracy benchmark. It runs in its own process (own event
// loop, own core when the OS gives one) and writes one-token completion events on a fixed schedule,
// each carrying `infermark_server_t`: the system-wide monotonic clock (process.hrtime, ms) read
// just before the write. The request asks for `max_tokens` events at `perf_rate` events/s.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const hrMs = () => Number(process.hrtime.bigint()) / 1e6;

const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    const { max_tokens: n, perf_rate: rate } = JSON.parse(body) as {
      max_tokens: number;
      perf_rate: number;
    };
    res.writeHead(200, { "content-type": "text/event-stream" });
    const period = 1000 / rate;
    const start = hrMs() + Math.random() * period; // spread phases like independent streams
    let sent = 0;
    const tick = () => {
      if (res.destroyed) return;
      const now = hrMs();
      while (sent < n && start + sent * period <= now) {
        sent++;
        const last = sent === n;
        res.write(
          `data: {"choices":[{"index":0,"text":"x","finish_reason":${last ? '"length"' : "null"}}],"infermark_server_t":${hrMs()}}\n\n`,
        );
      }
      if (sent >= n) {
        res.end(
          `data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":${n}}}\n\ndata: [DONE]\n\n`,
        );
        return;
      }
      setTimeout(tick, Math.max(0, start + sent * period - hrMs()));
    };
    setTimeout(tick, Math.max(0, start - hrMs()));
  });
});
server.keepAliveTimeout = 60_000;
server.maxConnections = 100_000;
// a deep accept backlog: thousands of streams connect at once
server.listen({ port: 0, host: "127.0.0.1", backlog: 8192 }, () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on("disconnect", () => process.exit(0));
