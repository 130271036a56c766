import type { ApiKind, BackendPreset } from "../backends/types.js";
import type { ChatMessage, WorkItem } from "../workload/types.js";

/** What shapes a request body besides the work item. */
export interface RequestBodyOptions {
  model: string;
  api: ApiKind;
  backend: BackendPreset;
  stream: boolean;
  /** Force the output to `maxTokens` with whatever the backend honours (ignore_eos, min_tokens). */
  fixedOutput: boolean;
  /** Extra top-level fields merged last (they win). */
  extraBody?: Record<string, unknown>;
}

/**
 * The JSON body of one `/v1/completions` or `/v1/chat/completions` request.
 * @example requestBody({ prompt: "hi", maxTokens: 8 }, { model: "m", api: "completions", backend: vllm, stream: true, fixedOutput: true })
 */
export function requestBody(item: WorkItem, o: RequestBodyOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { model: o.model };
  if (o.api === "chat") {
    body.messages = chatMessages(item);
    body[o.backend.chatMaxTokensField ?? "max_tokens"] = item.maxTokens;
  } else {
    body.prompt = item.prompt ?? item.messages?.map((m) => m.content).join("\n") ?? "";
    body.max_tokens = item.maxTokens;
  }
  if (o.fixedOutput) {
    if (o.backend.ignoreEos) body.ignore_eos = true;
    if (o.backend.minTokens) body.min_tokens = item.maxTokens;
  }
  if (o.stream) {
    body.stream = true;
    body.stream_options = o.backend.continuousUsage
      ? { include_usage: true, continuous_usage_stats: true }
      : { include_usage: true };
  }
  return o.extraBody ? { ...body, ...o.extraBody } : body;
}

/** The messages a chat request sends: the item's own, or its prompt as one user message. */
export function chatMessages(item: WorkItem): ChatMessage[] {
  return item.messages ?? [{ role: "user", content: promptText(item.prompt) }];
}

function promptText(prompt: WorkItem["prompt"]): string {
  if (typeof prompt === "string") return prompt;
  return prompt === undefined ? "" : prompt.join(" ");
}

/** Request path of an API under a base URL's path (`/v1` is added unless the base already ends in it). */
export function apiPath(basePath: string, api: ApiKind): string {
  return `${v1Path(basePath)}/${api === "chat" ? "chat/completions" : "completions"}`;
}

/** The path of the model list under a base path: `/v1/models`. */
export function modelsPath(basePath: string): string {
  return `${v1Path(basePath)}/models`;
}

/**
 * The server's root under a base path, where engines answer outside the OpenAI API (`/tokenize`, `/version`,
 * `/get_server_info`): the base path without its trailing `/v1`, so a server behind a path prefix is asked there.
 * @example serverRootPath("/prefix/v1/") // "/prefix"
 */
export function serverRootPath(basePath: string): string {
  return basePath.replace(/\/+$/, "").replace(/\/v1$/, "");
}

function v1Path(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, "");
  return trimmed.endsWith("/v1") ? trimmed : `${trimmed}/v1`;
}
