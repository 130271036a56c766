import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the scripted server does for one request. */
export interface Script {
  status?: number;
  /** Raw body pieces written in order; a number waits that many ms. */
  writes?: (string | number)[];
  /** Destroy the socket after the writes instead of ending the response. */
  cut?: boolean;
  /** Never answer (for timeouts). */
  hang?: boolean;
  contentType?: string;
  /** More response headers (a redirect's `location`). */
  headers?: Record<string, string>;
}

/** A request the server received. */
export interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
  /** ms on the test process clock (performance.now) when the request arrived. */
  t: number;
}

export interface ScriptedServer {
  url: string;
  /** The requests it answered with `script`. */
  received: Received[];
  /** The `/tokenize` requests, in order. */
  tokenized: Received[];
  /** The `/detokenize` requests, in order. */
  detokenized: Received[];
  /** The GETs of the engines' version endpoints (`VERSION_PATHS`), in order. */
  versionAsked: Received[];
  /** Most requests open at once. */
  maxOpen: number;
  close(): Promise<void>;
}

/** SSE lines of a chat or completions stream. */
export const sse = (obj: unknown) =>
  `data: ${typeof obj === "string" ? obj : JSON.stringify(obj)}\n\n`;

/** How the scripted server's `/tokenize` answers. */
export interface ScriptedServerOptions {
  /**
   * Chat messages (`{messages}`): `count` them as a ChatML template would (each message's words
   * plus 3: `<|im_start|>`, the role, `<|im_end|>`; plus 2 for the generation prompt), or answer
   * this HTTP status with an error body. @default 400, as a server whose /tokenize takes only `prompt`
   */
  messages?: "count" | number;
  /** The message of that refusal, from the request. @default "prompt: Field required\n(the request had messages)" */
  refusalMessage?: (r: Received) => string;
  /**
   * What GETs of the version endpoints (under any prefix) answer, as JSON, by path; a path not here answers 404. These GETs are
   * kept apart from `received` (and the script's indexes); a function answers what it returns for the request.
   * @default {} (all 404, as a server without them)
   */
  versions?: Record<string, unknown>;
  /**
   * Whose `/tokenize` and `/detokenize` it speaks: vLLM's (`{prompt}` -> `{tokens, count}`; `{tokens}` -> `{prompt}`),
   * SGLang's (the same, but `{tokens}` -> `{text}`), llama.cpp's (`{content}` -> `{tokens}`, a body without `content`
   * answering no tokens, as llama-server does; `{tokens}` -> `{content}`), or none (both answer 404). Detokenizing
   * writes the ids joined by spaces. @default "vllm"
   */
  tokenize?: "vllm" | "sglang" | "llamacpp" | "none";
}

/** Where the backends ask an engine its version (`versionProbes`). */
export const VERSION_PATHS = [
  "/version",
  "/get_server_info",
  "/server_info",
  "/props",
  "/api/version",
];

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/**
 * Starts a real HTTP server on 127.0.0.1 that answers each POST with `script(request, index)`.
 * `/tokenize` and `/detokenize` answer in vLLM's shape (or `options.tokenize`'s) with one token per
 * whitespace-separated word, its id the word's length.
 */
export async function startScriptedServer(
  script: (r: Received, index: number) => Script,
  options: ScriptedServerOptions = {},
): Promise<ScriptedServer> {
  let open = 0;
  let index = 0;
  const sockets = new Set<import("node:net").Socket>();
  const state = {
    received: [] as Received[],
    tokenized: [] as Received[],
    detokenized: [] as Received[],
    versionAsked: [] as Received[],
    maxOpen: 0,
  };
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const t = performance.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const r: Received = { path: req.url ?? "", headers: req.headers, body, t };
    const shape = options.tokenize ?? "vllm";
    const json = (status: number, answer: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer));
    };
    if (r.path.endsWith("/detokenize")) {
      state.detokenized.push(r);
      if (shape === "none") return json(404, { detail: "Not Found" });
      const field = { vllm: "prompt", sglang: "text", llamacpp: "content" }[shape];
      return json(200, { [field]: (body.tokens as number[]).join(" ") });
    }
    if (r.path.endsWith("/tokenize") && shape === "none") {
      state.tokenized.push(r);
      return json(404, { detail: "Not Found" });
    }
    if (r.path.endsWith("/tokenize") && shape === "llamacpp") {
      state.tokenized.push(r);
      const content = body.content;
      return json(200, {
        tokens: typeof content === "string" ? words(content).map((w) => w.length) : [],
      });
    }
    if (r.path.endsWith("/tokenize")) {
      state.tokenized.push(r);
      const messages = body.messages as { content: string }[] | undefined;
      const refusal = options.messages ?? 400;
      if (messages && refusal !== "count") {
        res.writeHead(refusal, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            object: "error",
            message:
              options.refusalMessage?.(r) ?? "prompt: Field required\n(the request had messages)",
            type: "BadRequestError",
            code: refusal,
          }),
        );
        return;
      }
      const tokens = messages
        ? Array.from(
            {
              length:
                messages.reduce((n, m) => n + words(m.content).length + 3, 0) +
                (body.add_generation_prompt ? 2 : 0),
            },
            () => 1,
          )
        : words(String(body.prompt)).map((w) => w.length);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ tokens, count: tokens.length }));
      return;
    }
    if (req.method === "GET" && VERSION_PATHS.some((v) => r.path.endsWith(v))) {
      state.versionAsked.push(r);
      const entry = options.versions?.[r.path];
      const page = typeof entry === "function" ? (entry as (r: Received) => unknown)(r) : entry;
      res.writeHead(page === undefined ? 404 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify(page ?? { detail: "Not Found" }));
      return;
    }
    state.received.push(r);
    const s = script(r, index++);
    open++;
    state.maxOpen = Math.max(state.maxOpen, open);
    res.on("close", () => open--);
    if (s.hang) return;
    res.writeHead(s.status ?? 200, {
      "content-type": s.contentType ?? "text/event-stream",
      ...s.headers,
    });
    for (const w of s.writes ?? []) {
      if (typeof w === "number") await new Promise((resolve) => setTimeout(resolve, w));
      else res.write(w);
    }
    if (s.cut) res.socket?.destroy();
    else res.end();
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    get versionAsked() {
      return state.versionAsked;
    },
    get tokenized() {
      return state.tokenized;
    },
    get detokenized() {
      return state.detokenized;
    },
    get maxOpen() {
      return state.maxOpen;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A completions stream of `n` one-token events `gapMs` apart, with a usage-only last event and [DONE]. */
export function completionStream(n: number, gapMs: number, promptTokens = 10): (string | number)[] {
  const writes: (string | number)[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && gapMs > 0) writes.push(gapMs);
    writes.push(
      sse({
        choices: [{ index: 0, text: ` t${i}`, finish_reason: i === n - 1 ? "length" : null }],
      }),
    );
  }
  writes.push(sse({ choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: n } }));
  writes.push(sse("[DONE]"));
  return writes;
}

/**
 * A chat stream of two content events ("ab", "cd") without usage; a request for the model
 * "usage" gets a usage-only last event too (7 prompt tokens, 2 completion tokens).
 */
export function twoEventChat(r: Received): Script {
  return {
    writes: [
      sse({ choices: [{ delta: { role: "assistant", content: "ab" } }] }),
      sse({ choices: [{ delta: { content: "cd" }, finish_reason: "length" }] }),
      ...(r.body.model === "usage"
        ? [sse({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 2 } })]
        : []),
      sse("[DONE]"),
    ],
  };
}
