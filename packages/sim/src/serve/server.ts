import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ResolvedSimConfig, SimOptions } from "../config/options.js";
import { resolveSimConfig } from "../config/resolve.js";
import { EngineSim } from "../engine/engine.js";
import { blockHashes } from "../engine/prefix-cache.js";
import type { EngineEvent } from "../engine/types.js";
import { SimConfigError } from "../errors.js";
import { assertFits } from "../perf/fit-check.js";
import { parseCompletionRequest } from "./completion-request.js";
import { type PendingCompletion, writeFinish, writeTokens } from "./completion-writer.js";
import { openAiError } from "./openai-error.js";
import { modelRequestBody, route } from "./routes.js";
import { SERVER_TIMESTAMPS_HEADER } from "./server-timestamps.js";
import { findStop } from "./stop-strings.js";
import { generatedWords, simTokenize } from "./tokenizer.js";

/** max_tokens of a completions request that gives none: vLLM's (and OpenAI's) default. */
export const DEFAULT_COMPLETION_MAX_TOKENS = 16;
/** max_tokens of a chat request that gives none: a stand-in for an answer that ends when the model stops. */
export const DEFAULT_CHAT_MAX_TOKENS = 256;

/** Options of `sim serve`. */
export interface SimServeOptions {
  sim: SimOptions;
  /** Simulated time runs K times faster than the wall clock. @default 1 */
  speed?: number;
  /** Seed of the generated text. @default 0 */
  seed?: number;
  /** Model id served. @default the catalog key */
  modelName?: string;
  /**
   * max_tokens when a request gives none. @default 16 for completions, as vLLM; 256 for chat, where vLLM generates
   * to the end of the context unless the model stops, which the simulator never does
   */
  defaultMaxTokens?: number;
  /** The version `GET /version` gives (vLLM's shape), which a client records as the engine's. @default "dev" */
  version?: string;
  /**
   * Report the prompt tokens the prefix cache served as `usage.prompt_tokens_details.cached_tokens`, as vLLM does
   * with `--enable-prompt-tokens-details`; without it `prompt_tokens_details` is null, as in a default vLLM.
   * @default false
   */
  promptTokensDetails?: boolean;
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
  // clients name the model they ask for: an empty id cannot be asked for, nor listed by /v1/models
  if (modelName.trim() === "")
    throw new SimConfigError("the served model name is empty: give a name, or leave it out");
  const maxContext = cfg.model.maxContext;
  const t0 = performance.now();
  const simNow = () => ((performance.now() - t0) / 1000) * speed;
  const pending = new Map<number, PendingCompletion>();
  let nextId = 0;
  let stopped = 0;
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

  engine.onTokens((e: EngineEvent) => {
    if (e.kind !== "tokens") return;
    const p = pending.get(e.id);
    if (p) writeTokens(p, e.count, modelName);
  });
  engine.on((e: EngineEvent) => {
    if (e.kind !== "finish") return;
    const p = pending.get(e.id);
    if (!p) return;
    pending.delete(e.id);
    if (p.stopReason !== null && !e.timeline.rejected) stopped++;
    writeFinish(p, e.timeline, modelName, options.promptTokensDetails ?? false);
  });

  const completions = async (req: IncomingMessage, res: ServerResponse, chat: boolean) => {
    const body = await modelRequestBody(req, res, modelName);
    if (!body) return;
    const parsed = parseCompletionRequest(body, chat, {
      maxContext,
      vocab: cfg.model.vocab,
      defaultMaxTokens:
        options.defaultMaxTokens ??
        (chat ? DEFAULT_CHAT_MAX_TOKENS : DEFAULT_COMPLETION_MAX_TOKENS),
    });
    if ("message" in parsed) return openAiError(res, 400, parsed.message, parsed.param);
    const { ids, maxTokens } = parsed;
    const id = nextId++;
    // each generated word is a token; a stop string in them ends the completion there, as in vLLM
    const words = generatedWords(seed, id, maxTokens);
    const pieces = words.map((w) => ` ${w}`);
    const stop = findStop(pieces, parsed.stop, parsed.minTokens, parsed.includeStopStr);
    if (stop) {
      // the text sent ends where the stop string starts, which can be in a token before the last
      pieces.length = stop.tokens;
      let left = stop.text.length;
      for (let i = 0; i < pieces.length; i++) {
        pieces[i] = pieces[i]!.slice(0, left);
        left -= pieces[i]!.length;
      }
    }
    const p: PendingCompletion = {
      id,
      chat,
      stream: parsed.stream,
      usage: parsed.usage,
      continuousUsage: parsed.continuousUsage,
      stamps: req.headers[SERVER_TIMESTAMPS_HEADER] === "1",
      res,
      promptTokens: ids.length,
      pieces,
      stopReason: stop?.stop ?? null,
      sent: 0,
      started: false,
      finished: false,
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
      osl: pieces.length,
      arrival: simNow(),
      // the prompt's blocks and those of the words it will generate (one token each), so that a next turn that
      // sends this prompt and its answer back finds both in the prefix cache, as in vLLM
      prefixHashes: blockHashes(
        [...ids, ...simTokenize(words.slice(0, pieces.length).join(" "))],
        cfg.engine.blockSize,
      ),
    });
    schedule();
  };

  const version = options.version ?? "dev";
  const created = Math.floor(Date.now() / 1000);
  const context = {
    engine,
    config: cfg,
    modelName,
    speed,
    version,
    created,
    simNow,
    stopped: () => stopped,
    completions,
  };
  const server = createServer((req, res) => {
    route(context, req, res).catch((error: unknown) => {
      if (!res.headersSent) openAiError(res, 500, `internal error: ${(error as Error).message}`);
      else res.destroy();
    });
  });
  // no "clientError" listener: Node answers a request that is not HTTP with a 400 (431 for oversized headers), as
  // uvicorn does, where the socket was closed without a word

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
