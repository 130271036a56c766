import type { IncomingMessage, ServerResponse } from "node:http";
import { jsonError } from "@infermark/core";
import { openAiError } from "./openai-error.js";

/** Largest request body the server reads (bytes): well past any prompt that fits the context. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

class BodyTooLargeError extends Error {
  constructor() {
    super(`request body over ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
  }
}

/**
 * Reads a request body as UTF-8 text, without a BOM that starts it. Past `MAX_BODY_BYTES` it rejects with
 * `BodyTooLargeError` and goes on draining the upload, so that the client, still sending, gets the 413 rather than a
 * reset connection.
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
      // a UTF-8 BOM is not part of the text: vLLM's FastAPI gives the bytes to Python's json.loads, which decodes
      // them as utf-8-sig and serves the request
      if (size > MAX_BODY_BYTES) return;
      const text = Buffer.concat(chunks).toString("utf8");
      resolve(text.startsWith("\uFEFF") ? text.slice(1) : text);
    });
    req.on("error", reject);
  });
}

/** vLLM's words for a body of another media type (`validate_json_request`). */
export const UNSUPPORTED_MEDIA_TYPE = "Unsupported Media Type: Only 'application/json' is allowed";

/**
 * Whether a request says its body is JSON: `content-type: application/json`, parameters (`; charset=utf-8`) and
 * case aside, as vLLM requires of its JSON routes.
 * @example isJsonRequest({ headers: { "content-type": "application/json; charset=utf-8" } }) // true
 */
export function isJsonRequest(req: Pick<IncomingMessage, "headers">): boolean {
  const type = req.headers["content-type"] ?? "";
  return type.split(";", 1)[0]!.trim().toLowerCase() === "application/json";
}

/**
 * Reads a request body that must be a JSON object sent as `application/json`. Otherwise it answers (400, as vLLM
 * answers another media type or a body that is not JSON; or 413 with the connection closed after it, so that the
 * rest of the upload is drained, not read as a next request) and returns undefined.
 */
export async function readJsonObject(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Record<string, unknown> | undefined> {
  // curl -d sends application/x-www-form-urlencoded: vLLM refuses it, so a client that forgets the header must
  // learn it here, not against the real server
  if (!isJsonRequest(req)) {
    openAiError(res, 400, UNSUPPORTED_MEDIA_TYPE);
    return undefined;
  }
  let text: string;
  try {
    text = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    res.setHeader("connection", "close");
    openAiError(res, 413, error.message);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // where it breaks, never V8's message where it quotes the body (a key the client sent may be in it)
    openAiError(res, 400, `malformed JSON body: ${jsonError(error, text).what}`);
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    openAiError(res, 400, "malformed JSON body: not an object");
    return undefined;
  }
  return parsed as Record<string, unknown>;
}
