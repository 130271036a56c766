import type { StreamEventKind } from "@infermark/core";

/** Token usage as servers report it (`usage` of the OpenAI API). */
export interface Usage {
  promptTokens?: number;
  completionTokens?: number;
  cachedTokens?: number;
}

/** What one SSE data payload (or a non-streaming body) means to the recorder. */
export interface ClassifiedEvent {
  kind: StreamEventKind;
  /** Generated text the event carried (content, reasoning or tool-call arguments). */
  text?: string;
  usage?: Usage;
  /** The payload was not JSON, or not an object. */
  malformed?: boolean;
  /** Message of an error object in the stream. */
  errorMessage?: string;
  finishReason?: string;
  /** Server send stamp (ms) from the `infermark_server_t` extension field, when present. */
  serverT?: number;
}

/** Name of the optional top-level chunk field in which a server gives its own send time (ms). */
export const SERVER_STAMP_FIELD = "infermark_server_t";

/**
 * Classifies one SSE data payload of `/v1/completions` or `/v1/chat/completions` into an event kind
 * (METRICS.md "token-carrying event"). Lenient across servers: reads `reasoning_content` and
 * `reasoning`, content given as a list of text and thinking parts, `tool_calls`, usage-only chunks,
 * and error objects.
 * @example classifyEvent('{"choices":[{"text":"hi"}]}').kind // "content"
 */
export function classifyEvent(data: string): ClassifiedEvent {
  if (data === "[DONE]") return { kind: "done" };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { kind: "error", malformed: true };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { kind: "error", malformed: true };
  }
  return classifyObject(json as Record<string, unknown>);
}

/** Classifies an already parsed chunk or a non-streaming response body. */
export function classifyObject(obj: Record<string, unknown>): ClassifiedEvent {
  const serverT = typeof obj[SERVER_STAMP_FIELD] === "number" ? obj[SERVER_STAMP_FIELD] : undefined;
  if (obj.error !== undefined && obj.error !== null) {
    return { kind: "error", errorMessage: errorText(obj.error) };
  }
  const usage = readUsage(obj.usage);
  const choices = Array.isArray(obj.choices) ? obj.choices : [];
  const choice = (choices[0] ?? undefined) as Record<string, unknown> | undefined;
  const out: ClassifiedEvent = { kind: "empty" };
  if (usage) out.usage = usage;
  if (serverT !== undefined) out.serverT = serverT;
  if (!choice) {
    if (usage) out.kind = "usage";
    return out;
  }
  if (typeof choice.finish_reason === "string") out.finishReason = choice.finish_reason;
  // completions: choices[].text; chat stream: choices[].delta; chat non-stream: choices[].message
  const delta = (choice.delta ?? choice.message) as Record<string, unknown> | undefined;
  if (typeof choice.text === "string" && choice.text.length > 0) {
    out.kind = "content";
    out.text = choice.text;
    return out;
  }
  if (!delta || typeof delta !== "object") return out;
  const parts = Array.isArray(delta.content) ? readParts(delta.content) : undefined;
  const content = parts ? parts.text : delta.content;
  // vLLM and trtllm-serve declare both fields (vLLM copies one into the other): the first that carries text
  const reasoning =
    nonEmpty(delta.reasoning_content) ?? nonEmpty(delta.reasoning) ?? nonEmpty(parts?.thinking);
  if (typeof content === "string" && content.length > 0) {
    out.kind = "content";
    out.text = reasoning !== undefined ? reasoning + content : content;
  } else if (reasoning !== undefined) {
    out.kind = "reasoning";
    out.text = reasoning;
  } else if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) {
    const args = delta.tool_calls
      .map((c) => (c as { function?: { arguments?: unknown } })?.function?.arguments)
      .filter((a): a is string => typeof a === "string")
      .join("");
    if (args.length > 0) {
      out.kind = "tool_call";
      out.text = args;
    }
  } else if (typeof delta.role === "string") {
    out.kind = "role";
  }
  return out;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/**
 * The text and the thinking of content given as a list of parts (Mistral's reasoning models stream
 * `[{type: "thinking", thinking: [{type: "text", text}]}]`, then `[{type: "text", text}]`).
 */
function readParts(parts: readonly unknown[]): { text: string; thinking: string } {
  let text = "";
  let thinking = "";
  for (const part of parts) {
    if (typeof part !== "object" || part === null) continue;
    const p = part as Record<string, unknown>;
    if (p.type === "text" && typeof p.text === "string") text += p.text;
    else if (p.type === "thinking") {
      if (typeof p.thinking === "string") thinking += p.thinking;
      else if (Array.isArray(p.thinking)) thinking += readParts(p.thinking).text;
    }
  }
  return { text, thinking };
}

function readUsage(value: unknown): Usage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const u = value as Record<string, unknown>;
  // a real count has at least one prompt token: zeros are a placeholder (Ollama's /v1/completions puts them
  // in every chunk when asked for usage) and would read as chunks that carried no token
  if (u.prompt_tokens === 0 && u.completion_tokens === 0) return undefined;
  const usage: Usage = {};
  if (typeof u.prompt_tokens === "number") usage.promptTokens = u.prompt_tokens;
  if (typeof u.completion_tokens === "number") usage.completionTokens = u.completion_tokens;
  const details = u.prompt_tokens_details as Record<string, unknown> | undefined | null;
  if (details && typeof details.cached_tokens === "number")
    usage.cachedTokens = details.cached_tokens;
  return Object.keys(usage).length > 0 ? usage : undefined;
}

function errorText(error: unknown): string {
  if (typeof error === "string") return error;
  if (typeof error === "object" && error !== null) {
    const e = error as Record<string, unknown>;
    if (typeof e.message === "string") return e.message;
  }
  // not cut here: the request's tracker redacts the API key first, then cuts the message
  return JSON.stringify(error);
}
