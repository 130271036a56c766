import { type AddressInfo, createServer, type Server, type Socket } from "node:net";

/** A request as the raw server read it off the wire. */
export interface RawRequest {
  /** The head exactly as received (request line and headers). */
  head: string;
  body: string;
  /** Index of the connection it came on (0 = first accepted). */
  connection: number;
}

/** What the handler does with a request: writes raw bytes on `socket`, ends or destroys it (what it returns is awaited). */
export type RawHandler = (req: RawRequest, socket: Socket) => unknown;

export interface RawHttpServer {
  url: string;
  port: number;
  requests: RawRequest[];
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * A raw `node:net` HTTP/1.1 server for transport tests: it reads requests (head and
 * Content-Length body, several per connection) and leaves the answer's bytes, framing and timing
 * entirely to the handler, so a test can split, cut or malform a response at will. `host`: the address it
 * listens on (`::1` for IPv6).
 */
export async function startRawHttpServer(
  handler: RawHandler,
  host = "127.0.0.1",
): Promise<RawHttpServer> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    const connection = connections++;
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let pending = Buffer.alloc(0);
    let busy = Promise.resolve();
    socket.on("data", (d: Buffer) => {
      pending = Buffer.concat([pending, d]);
      for (;;) {
        const end = pending.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = pending.toString("latin1", 0, end);
        const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        const body = pending.toString("utf8", end + 4, end + 4 + length);
        pending = pending.subarray(end + 4 + length);
        const req = { head, body, connection };
        requests.push(req);
        busy = busy.then(async () => {
          await handler(req, socket);
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    requests,
    get connections() {
      return connections;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One chunk of a chunked body. */
export const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;

/** Resolves after `ms`. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One SSE event of a JSON payload. */
export const sseEvent = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;

/** A recorded vLLM completions stream: three one-token events, a usage-only event, [DONE]. */
export const VLLM_EVENTS: readonly string[] = [
  sseEvent({ id: "c", object: "text_completion", choices: [{ index: 0, text: "He" }] }),
  sseEvent({ id: "c", object: "text_completion", choices: [{ index: 0, text: "llo" }] }),
  sseEvent({ id: "c", choices: [{ index: 0, text: "!", finish_reason: "length" }] }),
  sseEvent({ id: "c", choices: [], usage: { prompt_tokens: 4, completion_tokens: 3 } }),
  "data: [DONE]\n\n",
];

/** The head of a chunked SSE response. */
export const SSE_CHUNKED_HEAD =
  "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
