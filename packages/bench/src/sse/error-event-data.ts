/**
 * The data payload an SSE error event stands for: a JSON object with an `error` member, which `classifyEvent` reads
 * as a failed request with its message. Some servers send a failure outside `data:` lines, where an SSE reader that
 * keeps only data would see nothing and then the stream's `[DONE]`, counting a failed request as a short success:
 * - Dynamo's frontend writes `event: error` and the message as a comment (`: message`), then goes on to `[DONE]`
 *   (ai-dynamo/dynamo lib/llm/src/http/service/disconnect.rs `monitor_for_disconnects`; the message comes from
 *   metrics.rs `annotated_to_sse_event`).
 * - llama.cpp's `llama-server` before its HTTP layer was split out (late 2025) wrote an `error: {...}` line, then
 *   `data: [DONE]` (tools/server/server.cpp `server_sent_event(sink, "error", error_data)`); newer builds send
 *   `data: {"error": {...}}` (server-common.cpp `format_oai_sse`), which needs nothing special.
 *
 * `payload` is what the event carried: the `error:` line's value, else the event's data, else its comments. A JSON
 * object that already has an `error` member is kept; another object becomes the error; anything else its message.
 * @example errorEventData('{"code":500,"message":"boom"}') // '{"error":{"code":500,"message":"boom"}}'
 */
export function errorEventData(payload: string | undefined): string {
  const text = payload?.trim() ?? "";
  if (text.startsWith("{")) {
    try {
      const json = JSON.parse(text) as unknown;
      if (typeof json === "object" && json !== null && !Array.isArray(json)) {
        return JSON.stringify("error" in json ? json : { error: json });
      }
    } catch {
      // not JSON: the text is the message
    }
  }
  return JSON.stringify({
    error: { message: text.length > 0 ? text : "the server sent an error event without a message" },
  });
}
