import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ResolvedSimConfig, SimOptions } from "../config/options.js";
import { resolveSimConfig } from "../config/resolve.js";
import { EngineSim } from "../engine/engine.js";
import { blockHashes } from "../engine/prefix-cache.js";
import type { EngineEvent } from "../engine/types.js";
import { assertFits } from "../perf/fit-check.js";
import { prometheusText } from "./prometheus.js";
import { generatedWords, SIM_TOKENIZER, simTokenize } from "./tokenizer.js";

/** Options of `sim serve`. */
export interface SimServeOptions {
  sim: SimOptions;
  /** Simulated time runs K times faster than the wall clock. @default 1 */
  speed?: number;
  /** Seed of the generated text. @default 0 */
  seed?: number;
  /** Model id served. @default the catalog key */
  modelName?: string;
  /** max_tokens when a request gives none. @default 256 */
  defaultMaxTokens?: number;
}

/** Header that asks for the server's send time in every chunk (`infermark_server_t`, ms since the epoch). */
export const SERVER_TIMESTAMPS_HEADER = "x-infermark-server-timestamps";
/** Chunk field that carries it (the name infermark's load generator reads). */
export const SERVER_STAMP_FIELD = "infermark_server_t";

interface Pending {
  id: number;
  chat: boolean;
  stream: boolean;
  usage: boolean;
  stamps: boolean;
  res: ServerResponse;
  promptTokens: number;
  maxTokens: number;
  words: string[];
  sent: number;
  started: boolean;
  created: number;
  requestId: string;
}

/** A running simulated engine behind an OpenAI-compatible HTTP server. */
export interface SimServer {
  server: Server;
  listen(port?: number, host?: string): Promise<{ port: number; host: string }>;
  close(): Promise<void>;
  engine: EngineSim;
  /** The model id it serves: `modelName`, else the model's key (a config.json's model name). */
  modelName: string;
  /** The configuration it simulates (`config.gpu.key` names the GPU, a spec file's by its name). */
  config: ResolvedSimConfig;
}

const wallMs = () => performance.timeOrigin + performance.now();

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** 413, and the connection closes after it: the rest of the upload is drained, not read as a next request. */
function tooLarge(res: ServerResponse, error: BodyTooLargeError): void {
  res.setHeader("connection", "close");
  openAiError(res, 413, error.message);
}

function openAiError(
  res: ServerResponse,
  status: number,
  message: string,
  param: string | null = null,
): void {
  sendJson(res, status, {
    error: {
      message,
      type: status === 404 ? "NotFoundError" : "invalid_request_error",
      param,
      code: status,
    },
  });
}

/** Largest request body the server reads (bytes): well past any prompt that fits the context. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

class BodyTooLargeError extends Error {
  constructor() {
    super(`request body over ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
  }
}

/**
 * Reads a request body. Past `MAX_BODY_BYTES` it rejects with `BodyTooLargeError` and goes on draining
 * the upload, so that the client, still sending, gets the 413 rather than a reset connection.
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else {
        chunks.length = 0; // a settled promise ignores the later rejections
        reject(new BodyTooLargeError());
      }
    });
    req.on("end", () => {
      if (size <= MAX_BODY_BYTES) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

function promptText(body: Record<string, unknown>, chat: boolean): string | number[] | undefined {
  if (chat) {
    if (!Array.isArray(body.messages)) return undefined;
    return body.messages
      .map((m) => {
        const c = (m as { content?: unknown })?.content;
        if (typeof c === "string") return c;
        if (Array.isArray(c))
          return c.map((p) => (typeof p?.text === "string" ? p.text : "")).join(" ");
        return "";
      })
      .join("\n");
  }
  const p = body.prompt;
  if (typeof p === "string") return p;
  if (Array.isArray(p) && p.every((x) => typeof x === "number")) return p as number[];
  if (Array.isArray(p) && p.every((x) => typeof x === "string")) return p.join("\n");
  return undefined;
}

/**
 * Starts nothing yet: builds the server around a real-time-driven EngineSim. Tokens leave when the
 * simulated clock, mapped to the wall clock divided by `speed`, reaches their step's end.
 * @example const s = createSimServer({ sim: { model: "dsr1", hardware: "h200", tp: 8 }, speed: 10 }); await s.listen(0);
 */
export function createSimServer(options: SimServeOptions): SimServer {
  const cfg = resolveSimConfig(options.sim);
  // without room for the KV of one token every request would be refused with a 400
  assertFits(cfg, 1);
  const engine = new EngineSim(cfg);
  const speed = options.speed ?? 1;
  const seed = options.seed ?? 0;
  const modelName = options.modelName ?? cfg.model.key;
  const maxContext = cfg.model.maxContext;
  const t0 = performance.now();
  const simNow = () => ((performance.now() - t0) / 1000) * speed;
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const next = engine.nextEventTime();
    if (!Number.isFinite(next)) return;
    const delay = Math.max(0, ((next - simNow()) / speed) * 1000);
    timer = setTimeout(tick, Math.min(delay, 2 ** 31 - 1));
  };
  const tick = () => {
    try {
      engine.runUntil(simNow());
    } finally {
      schedule();
    }
  };

  const chunk = (
    p: Pending,
    choice: Record<string, unknown> | null,
    usage?: Record<string, unknown>,
  ) => {
    const body: Record<string, unknown> = {
      id: p.requestId,
      object: p.chat ? "chat.completion.chunk" : "text_completion",
      created: p.created,
      model: modelName,
      choices: choice ? [choice] : [],
    };
    if (usage) body.usage = usage;
    if (p.stamps) body[SERVER_STAMP_FIELD] = wallMs();
    return `data: ${JSON.stringify(body)}\n\n`;
  };
  // the prompt tokens the prefix cache served, as OpenAI (and vLLM with --enable-prompt-tokens-details) report them
  const usageOf = (p: Pending, cachedTokens: number) => ({
    prompt_tokens: p.promptTokens,
    completion_tokens: p.sent,
    total_tokens: p.promptTokens + p.sent,
    prompt_tokens_details: { cached_tokens: cachedTokens },
  });

  engine.onTokens((e: EngineEvent) => {
    if (e.kind !== "tokens") return;
    const p = pending.get(e.id);
    if (!p) return;
    const text = p.words
      .slice(p.sent, p.sent + e.count)
      .map((w) => ` ${w}`)
      .join("");
    p.sent += e.count;
    if (!p.stream || p.res.destroyed) return;
    if (!p.started) {
      p.started = true;
      p.res.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        connection: "keep-alive",
      });
      if (p.chat)
        p.res.write(
          chunk(p, {
            index: 0,
            delta: { role: "assistant", content: "" },
            logprobs: null,
            finish_reason: null,
          }),
        );
    }
    p.res.write(
      chunk(
        p,
        p.chat
          ? { index: 0, delta: { content: text }, logprobs: null, finish_reason: null }
          : { index: 0, text, logprobs: null, finish_reason: null },
      ),
    );
  });
  engine.on((e: EngineEvent) => {
    if (e.kind !== "finish") return;
    const p = pending.get(e.id);
    if (!p) return;
    pending.delete(e.id);
    if (e.timeline.rejected)
      return openAiError(
        p.res,
        400,
        "the prompt does not fit the KV cache of one worker",
        "prompt",
      );
    if (p.res.destroyed) return;
    if (!p.stream) {
      const text = p.words.map((w) => ` ${w}`).join("");
      return sendJson(p.res, 200, {
        id: p.requestId,
        object: p.chat ? "chat.completion" : "text_completion",
        created: p.created,
        model: modelName,
        choices: [
          p.chat
            ? { index: 0, message: { role: "assistant", content: text }, finish_reason: "length" }
            : { index: 0, text, finish_reason: "length" },
        ],
        usage: usageOf(p, e.timeline.cachedTokens),
      });
    }
    p.res.write(
      chunk(
        p,
        p.chat
          ? { index: 0, delta: {}, logprobs: null, finish_reason: "length" }
          : { index: 0, text: "", logprobs: null, finish_reason: "length" },
      ),
    );
    if (p.usage) p.res.write(chunk(p, null, usageOf(p, e.timeline.cachedTokens)));
    p.res.end("data: [DONE]\n\n");
  });

  const completions = async (req: IncomingMessage, res: ServerResponse, chat: boolean) => {
    let body: Record<string, unknown>;
    try {
      const parsed = JSON.parse(await readBody(req));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new Error("not an object");
      body = parsed;
    } catch (error) {
      if (error instanceof BodyTooLargeError) return tooLarge(res, error);
      return openAiError(res, 400, `malformed JSON body: ${(error as Error).message}`);
    }
    const prompt = promptText(body, chat);
    if (prompt === undefined)
      return openAiError(
        res,
        400,
        chat
          ? "messages must be a list of messages"
          : "prompt must be a string, a list of strings or a list of token ids",
        chat ? "messages" : "prompt",
      );
    const rawMax = body.max_tokens ?? body.max_completion_tokens ?? options.defaultMaxTokens ?? 256;
    if (typeof rawMax !== "number" || !Number.isInteger(rawMax) || rawMax < 1)
      return openAiError(res, 400, "max_tokens must be a positive integer", "max_tokens");
    if (body.n !== undefined && body.n !== null && body.n !== 1)
      return openAiError(
        res,
        400,
        "n must be 1: the simulator generates one choice per request",
        "n",
      );
    if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean")
      return openAiError(res, 400, "stream must be a boolean", "stream");
    // stop tokenizing once the prompt cannot fit: an oversized prompt must not hold the event loop (and every
    // other stream's tokens) for seconds
    const ids = typeof prompt === "string" ? simTokenize(prompt, maxContext) : prompt;
    if (
      body.min_tokens !== undefined &&
      (typeof body.min_tokens !== "number" || body.min_tokens > rawMax)
    )
      return openAiError(
        res,
        400,
        "min_tokens must be a number no larger than max_tokens",
        "min_tokens",
      );
    if (ids.length === 0) return openAiError(res, 400, "the prompt is empty", "prompt");
    if (ids.length + rawMax > maxContext) {
      const atLeast = ids.length > maxContext && typeof prompt === "string" ? "at least " : "";
      return openAiError(
        res,
        400,
        `This model's maximum context length is ${maxContext} tokens. However, you requested ${atLeast}${ids.length + rawMax} tokens (${atLeast}${ids.length} in the prompt, ${rawMax} in the completion). Please reduce the length of the prompt or completion.`,
        "max_tokens",
      );
    }
    const id = nextId++;
    const so = body.stream_options as { include_usage?: unknown } | undefined;
    const p: Pending = {
      id,
      chat,
      stream: body.stream === true,
      usage: so?.include_usage === true,
      stamps: req.headers[SERVER_TIMESTAMPS_HEADER] === "1",
      res,
      promptTokens: ids.length,
      maxTokens: rawMax,
      words: generatedWords(seed, id, rawMax),
      sent: 0,
      started: false,
      created: Math.floor(Date.now() / 1000),
      requestId: `${chat ? "chatcmpl" : "cmpl"}-sim-${id}`,
    };
    pending.set(id, p);
    // a client that goes away (timeout, Ctrl-C) frees its slot and KV, as vLLM aborts on disconnect
    res.on("close", () => {
      if (!pending.delete(id)) return;
      engine.runUntil(simNow());
      engine.abort(id);
      schedule();
    });
    engine.runUntil(simNow());
    engine.submit({
      id,
      isl: ids.length,
      osl: rawMax,
      arrival: simNow(),
      // the prompt's blocks and those of the words it will generate (one token each), so that a next turn that
      // sends this prompt and its answer back finds both in the prefix cache, as in vLLM
      prefixHashes: blockHashes([...ids, ...simTokenize(p.words.join(" "))], cfg.engine.blockSize),
    });
    schedule();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/health") return void res.writeHead(200).end();
    if (req.method === "GET" && path === "/v1/models")
      return sendJson(res, 200, {
        object: "list",
        data: [
          {
            id: modelName,
            object: "model",
            owned_by: "infermark-sim",
            root: cfg.model.hfId,
            max_model_len: maxContext,
            speed,
            tokenizer: SIM_TOKENIZER,
          },
        ],
      });
    if (req.method === "GET" && path === "/metrics") {
      engine.runUntil(simNow());
      const text = prometheusText(modelName, engine.load(), engine.counters);
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      return void res.end(text);
    }
    if (req.method === "POST" && path === "/tokenize") {
      let body: Record<string, unknown>;
      try {
        const parsed = JSON.parse(await readBody(req));
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
          throw new Error("not an object");
        body = parsed;
      } catch (error) {
        if (error instanceof BodyTooLargeError) return tooLarge(res, error);
        return openAiError(res, 400, `malformed JSON body: ${(error as Error).message}`);
      }
      // vLLM's chat form {messages, add_generation_prompt}: counted as the chat path counts a request's
      // messages (their contents joined, no chat template), so the count equals that request's usage
      const chat = body.messages !== undefined;
      const text = promptText(body, chat);
      if (typeof text !== "string")
        return chat
          ? openAiError(res, 400, "messages must be a list of messages", "messages")
          : openAiError(res, 400, "prompt must be a string", "prompt");
      const tokens = simTokenize(text);
      return sendJson(res, 200, {
        tokens,
        count: tokens.length,
        max_model_len: maxContext,
        tokenizer: SIM_TOKENIZER,
      });
    }
    if (req.method === "POST" && path === "/v1/completions") return completions(req, res, false);
    if (req.method === "POST" && path === "/v1/chat/completions")
      return completions(req, res, true);
    return openAiError(res, 404, `no route ${req.method} ${path}`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) openAiError(res, 500, `internal error: ${(error as Error).message}`);
      else res.destroy();
    });
  });
  server.on("clientError", (_err, socket) => socket.destroy());

  return {
    server,
    engine,
    modelName,
    config: cfg,
    listen: (port = 8000, host = "127.0.0.1") =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const a = server.address() as AddressInfo;
          resolve({ port: a.port, host });
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (timer) clearTimeout(timer);
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
