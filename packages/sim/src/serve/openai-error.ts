import { type ServerResponse, STATUS_CODES } from "node:http";

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

/** vLLM's `error.type` of its own errors (`create_error_response`), by status. */
const VLLM_ERROR_TYPES: Readonly<Record<number, string>> = {
  400: "BadRequestError",
  404: "NotFoundError",
  500: "InternalServerError",
};

/**
 * The `error.type` vLLM gives a status: its own error types, else the HTTP reason phrase, as its handler of
 * HTTP exceptions writes it (`Method Not Allowed`).
 * @example errorType(400) // "BadRequestError"
 */
export function errorType(status: number): string {
  return VLLM_ERROR_TYPES[status] ?? STATUS_CODES[status] ?? "Error";
}

/**
 * Sends an error in vLLM's shape (OpenAI's, with vLLM's types): `{error: {message, type, param, code}}`.
 * @example openAiError(res, 400, "the prompt is empty", "prompt")
 */
export function openAiError(
  res: ServerResponse,
  status: number,
  message: string,
  param: string | null = null,
): void {
  sendJson(res, status, { error: { message, type: errorType(status), param, code: status } });
}
