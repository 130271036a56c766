import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResolvedSimConfig } from "../config/options.js";
import type { EngineSim } from "../engine/engine.js";
import { answerCors } from "./cors.js";
import { readJsonObject } from "./json-body.js";
import { openAiError, sendJson } from "./openai-error.js";
import { prometheusText } from "./prometheus.js";
import { messagesError, promptText } from "./prompt-text.js";
import type { RequestMetrics } from "./request-metrics.js";
import {
  outOfVocabulary,
  SIM_TOKENIZER,
  simDetokenize,
  simTokenize,
  simTokenStrs,
} from "./tokenizer.js";

/** What the routes of a simulated server answer from. */
export interface RouteContext {
  engine: EngineSim;
  config: ResolvedSimConfig;
  modelName: string;
  speed: number;
  /** What `GET /version` gives. */
  version: string;
  /** When the server was made (seconds since the epoch): its model's `created` in `/v1/models`. */
  created: number;
  /** The simulated clock now (seconds). */
  simNow(): number;
  /** How many finished requests ended on a stop string. */
  stopped(): number;
  /** vLLM's per-request histograms, and the prompt tokens n-choice requests share. */
  metrics: RequestMetrics;
  /** Answers `POST /v1/completions` (`chat` false) and `POST /v1/chat/completions`. */
  completions(req: IncomingMessage, res: ServerResponse, chat: boolean): Promise<void>;
}

/** The method each route answers: another method on one of them is a 405, as vLLM's server answers it. */
const ROUTE_METHODS: Readonly<Record<string, string>> = {
  "/health": "GET",
  "/version": "GET",
  "/v1/models": "GET",
  "/metrics": "GET",
  "/tokenize": "POST",
  "/detokenize": "POST",
  "/v1/completions": "POST",
  "/v1/chat/completions": "POST",
};

/**
 * Answers one HTTP request: `GET /health`, `/version`, `/v1/models` and `/metrics`, `POST /tokenize`, `/detokenize`
 * and the two completions routes; another method on one of them is a 405, anything else a 404, in OpenAI's shape.
 * Cross-origin requests are allowed, as vLLM allows them by default (`answerCors`).
 */
export async function route(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (answerCors(req, res)) return;
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  // an empty body of known length, as vLLM sends it (it was sent chunked)
  if (req.method === "GET" && path === "/health")
    return void res.writeHead(200, { "content-length": 0 }).end();
  if (req.method === "GET" && path === "/version")
    return sendJson(res, 200, { version: ctx.version });
  if (req.method === "GET" && path === "/v1/models")
    return sendJson(res, 200, {
      object: "list",
      data: [
        {
          id: ctx.modelName,
          object: "model",
          created: ctx.created,
          owned_by: "infermark-sim",
          root: ctx.config.model.hfId,
          parent: null,
          max_model_len: ctx.config.model.maxContext,
          speed: ctx.speed,
          tokenizer: SIM_TOKENIZER,
        },
      ],
    });
  if (req.method === "GET" && path === "/metrics") {
    ctx.engine.runUntil(ctx.simNow());
    const text = prometheusText(
      ctx.modelName,
      ctx.engine.load(),
      ctx.engine.counters,
      ctx.stopped(),
      ctx.metrics,
    );
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    return void res.end(text);
  }
  if (req.method === "POST" && path === "/tokenize") return tokenize(ctx, req, res);
  if (req.method === "POST" && path === "/detokenize") return detokenize(ctx, req, res);
  if (req.method === "POST" && path === "/v1/completions") return ctx.completions(req, res, false);
  if (req.method === "POST" && path === "/v1/chat/completions")
    return ctx.completions(req, res, true);
  const allowed = ROUTE_METHODS[path];
  if (allowed) {
    // a GET of a POST route (a browser, a health probe) was told there was no such route
    res.setHeader("allow", allowed);
    return openAiError(res, 405, `${req.method} ${path} is not allowed: use ${allowed}`);
  }
  return openAiError(res, 404, `no route ${req.method} ${path}`);
}

/**
 * vLLM's 404 for a request that names a model this server does not serve (a 400 for a `model` that is no string);
 * undefined when it names this one or none (absent, null or "", which vLLM serves with its model).
 */
export function unknownModel(
  res: ServerResponse,
  body: Record<string, unknown>,
  modelName: string,
): true | undefined {
  const model = body.model;
  if (model === undefined || model === null || model === "" || model === modelName)
    return undefined;
  if (typeof model !== "string") openAiError(res, 400, "model must be a string", "model");
  else openAiError(res, 404, `The model \`${model}\` does not exist.`, "model");
  return true;
}

/**
 * The JSON object a request for this server's model sends, or undefined once it is answered: a malformed body a
 * 400, another model's name vLLM's 404 (`unknownModel`).
 */
export async function modelRequestBody(
  req: IncomingMessage,
  res: ServerResponse,
  modelName: string,
): Promise<Record<string, unknown> | undefined> {
  const body = await readJsonObject(req, res);
  // as vLLM: a request for a model this server does not serve is a 404 (a client's --model typo shows at once)
  if (!body || unknownModel(res, body, modelName)) return undefined;
  return body;
}

/**
 * `POST /tokenize`: the simulator's token ids of a prompt, or of a chat request's messages, and with
 * `return_token_strs` the text of each token.
 */
async function tokenize(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await modelRequestBody(req, res, ctx.modelName);
  if (!body) return;
  const maxContext = ctx.config.model.maxContext;
  // vLLM's chat form {messages, add_generation_prompt}: counted as the chat path counts a request's
  // messages (their contents joined, no chat template), so the count equals that request's usage
  const chat = body.messages !== undefined;
  const messages = chat ? messagesError(body.messages) : undefined;
  if (messages) return openAiError(res, 400, messages, "messages");
  const text = promptText(body, chat);
  if (typeof text !== "string") return openAiError(res, 400, "prompt must be a string", "prompt");
  const strs = body.return_token_strs ?? false;
  if (typeof strs !== "boolean")
    return openAiError(res, 400, "return_token_strs must be a boolean", "return_token_strs");
  const tokens = simTokenize(text);
  // vLLM's TokenizeResponse, its fields in its order: token_strs is null unless asked for
  return sendJson(res, 200, {
    count: tokens.length,
    max_model_len: maxContext,
    tokens,
    token_strs: strs ? simTokenStrs(text) : null,
    tokenizer: SIM_TOKENIZER,
  });
}

/**
 * `POST /detokenize` (vLLM's `{tokens}` to `{prompt}`): the text of token ids, which tokenizes back to as many
 * tokens (`simDetokenize`). Ids that are not the model's (negative, fractional, past its vocabulary) are a 400.
 */
async function detokenize(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await modelRequestBody(req, res, ctx.modelName);
  if (!body) return;
  const { tokens } = body;
  if (!Array.isArray(tokens) || !tokens.every((id) => Number.isInteger(id) && id >= 0))
    return openAiError(res, 400, "tokens must be a list of token ids", "tokens");
  const outside = outOfVocabulary(tokens, ctx.config.model.vocab);
  if (outside) return openAiError(res, 400, outside, "tokens");
  return sendJson(res, 200, { prompt: simDetokenize(tokens) });
}
