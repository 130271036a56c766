import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ResolvedSimConfig, SimOptions } from "../config/options.js";
import { resolveSimConfig } from "../config/resolve.js";
import { EngineSim } from "../engine/engine.js";
import { blockHashes } from "../engine/prefix-cache.js";
import type { EngineEvent } from "../engine/types.js";
import { SimConfigError } from "../errors.js";
import { assertFits } from "../perf/fit-check.js";
import { choiceState } from "./choice-bodies.js";
import { choiceText } from "./choice-text.js";
import { parseCompletionRequest } from "./completion-request.js";
import { type PendingCompletion, writeFinish, writeTokens } from "./completion-writer.js";
import { openAiError } from "./openai-error.js";
import { promptPieces } from "./prompt-pieces.js";
import { RequestMetrics } from "./request-metrics.js";
import { modelRequestBody, route } from "./routes.js";
import { SERVER_TIMESTAMPS_HEADER } from "./server-timestamps.js";
import { simTokenize } from "./tokenizer.js";

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
   * to the end of the context unless the model stops, which the simulator never does (fewer when the prompt leaves
   * fewer of the context)
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
  // each engine request is one choice of a pending completion; `run` is shared by its choices: when it arrived (on
  // the simulated clock) and how many of its n choices are still generating
  const pending = new Map<
    number,
    { p: PendingCompletion; index: number; run: { arrival: number; n: number; left: number } }
  >();
  const metrics = new RequestMetrics(maxContext);
  // the choices past the first of a request with n > 1, submitted when the first has prefilled the prompt
  const siblings = new Map<number, (t: number) => void>();
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
    const at = pending.get(e.id);
    if (!at) return;
    // vLLM takes a sequence's TTFT and counts its prompt at its first output, aborted later or not
    if (e.total === e.count) metrics.firstToken(at.p.promptTokens, e.t - at.run.arrival);
    writeTokens(at.p, at.index, e.count, modelName);
    const submitSiblings = siblings.get(e.id);
    siblings.delete(e.id);
    submitSiblings?.(e.t);
  });
  engine.on((e: EngineEvent) => {
    if (e.kind !== "finish") return;
    const at = pending.get(e.id);
    if (!at) return;
    pending.delete(e.id);
    siblings.delete(e.id);
    const { p, index, run } = at;
    const t = e.timeline;
    if (p.choices[index]!.stopReason !== null && !t.rejected) stopped++;
    if (!t.rejected) {
      // vLLM observes each child request of an n-choice request on its own, from the request's arrival
      metrics.finished({
        promptTokens: p.promptTokens,
        generationTokens: t.stepTokens.reduce((a, b) => a + b, 0),
        e2e: t.end - run.arrival,
      });
      if (--run.left === 0) metrics.requestFinished(run.n);
    }
    writeFinish(p, index, e.timeline, modelName, options.promptTokensDetails ?? false);
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
    const { ids, maxTokens, n } = parsed;
    const first = nextId;
    nextId += n;
    // the first generated token's logprobs follow from the prompt's last token, with echo or without
    const context = `\u0001${ids.at(-1)}`;
    // each choice's words come from its own key, except under greedy sampling, where vLLM's n choices are the same
    const texts = Array.from({ length: n }, (_, i) =>
      choiceText(seed, parsed.greedy ? first : first + i, maxTokens, parsed),
    );
    const p: PendingCompletion = {
      chat,
      stream: parsed.stream,
      usage: parsed.usage,
      continuousUsage: parsed.continuousUsage,
      stamps: req.headers[SERVER_TIMESTAMPS_HEADER] === "1",
      res,
      promptTokens: ids.length,
      logprobs: parsed.logprobs,
      seed,
      echo: parsed.echo
        ? { pieces: promptPieces(parsed.prompt, parsed.truncated ? ids.length : undefined) }
        : null,
      echoOnly: parsed.echoOnly,
      choices: texts.map((t) => choiceState(t.pieces, t.stopReason, context)),
      started: false,
      cachedTokens: 0,
      created: Math.floor(Date.now() / 1000),
      requestId: `${chat ? "chatcmpl" : "cmpl"}-sim-${first}`,
    };
    const engineIds = texts.map((_, i) => first + i);
    engine.runUntil(simNow());
    const run = { arrival: simNow(), n, left: n };
    for (const [index, id] of engineIds.entries()) pending.set(id, { p, index, run });
    // a client that goes away (timeout, Ctrl-C) frees its slots and KV, as vLLM aborts on disconnect
    res.on("close", () => {
      const live = engineIds.filter((id) => pending.delete(id));
      siblings.delete(first);
      if (live.length === 0) return;
      engine.runUntil(simNow());
      for (const id of live) engine.abort(id);
      schedule();
    });
    if (n > 1)
      // vLLM runs the n choices as n sequences that share the prompt's KV blocks through the prefix cache: each
      // other choice recomputes only the prompt's last, partial block (at least one token) once the prompt's KV
      // is there, then decodes on its own
      siblings.set(first, (t) => {
        const block = cfg.engine.blockSize;
        const tail = ids.length - Math.floor((ids.length - 1) / block) * block;
        // vLLM's children look the whole prompt up and find all but that block cached
        metrics.sharedPromptTokens += (n - 1) * (ids.length - tail);
        for (let i = 1; i < n; i++)
          engine.submit({ id: first + i, isl: tail, osl: texts[i]!.pieces.length, arrival: t });
      });
    const { words, pieces } = texts[0]!;
    engine.submit({
      id: first,
      isl: ids.length,
      osl: pieces.length,
      arrival: run.arrival,
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
    metrics,
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
