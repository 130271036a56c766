import type { ServerResponse } from "node:http";

/** Sends a JSON body, unless the response has started or the client is gone. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Sends an error in OpenAI's shape, as vLLM does: `{error: {message, type, param, code}}`.
 * @example openAiError(res, 400, "the prompt is empty", "prompt")
 */
export function openAiError(
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
