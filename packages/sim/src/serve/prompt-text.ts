const isTokenIds = (p: unknown): p is number[] =>
  Array.isArray(p) && p.every((x) => typeof x === "number");

const isOnePrompt = (p: unknown): p is string | number[] => typeof p === "string" || isTokenIds(p);

/**
 * The prompt of a completions body (`prompt`: a string or token ids, or a batch of one of them) or a chat body
 * (`messages`: their contents joined by newlines, no chat template); undefined when it has none of these shapes,
 * or is a batch of several prompts (`promptBatchSize`).
 * @example promptText({ messages: [{ role: "user", content: "hi" }] }, true) // "hi"
 */
export function promptText(
  body: Record<string, unknown>,
  chat: boolean,
): string | number[] | undefined {
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
  if (isOnePrompt(p)) return p;
  // vLLM's batch form (strings, or lists of token ids): one of them is that prompt
  if (Array.isArray(p) && p.length === 1 && isOnePrompt(p[0])) return p[0];
  return undefined;
}

/**
 * How many prompts a completions body's `prompt` holds: more than one when it is a batch (a list of strings, or of
 * lists of token ids), which vLLM answers with a choice per prompt; 1 otherwise.
 * @example promptBatchSize({ prompt: ["a", "b"] }) // 2
 */
export function promptBatchSize(body: Record<string, unknown>): number {
  const p = body.prompt;
  if (!Array.isArray(p) || isTokenIds(p) || !p.every(isOnePrompt)) return 1;
  return Math.max(1, p.length);
}

/**
 * Why a chat body's `messages` are not messages vLLM takes, or undefined: a list of objects, each with a `role`
 * (a string) and a `content` that is a string, a list of content parts, or null (an assistant's tool call). The
 * simulator reads only the text, but a message vLLM refuses must not be served here.
 * @example messagesError([{ content: "hi" }]) // "messages[0].role must be a string: user, assistant, system, ..."
 */
export function messagesError(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return "messages must be a list of messages";
  // vLLM renders an empty list with its chat template; the simulator has none, so it would be an empty prompt
  if (messages.length === 0) return "messages is empty: give at least one message";
  for (const [i, m] of messages.entries()) {
    if (typeof m !== "object" || m === null || Array.isArray(m))
      return `messages[${i}] must be an object with a role and a content`;
    const { role, content } = m as { role?: unknown; content?: unknown };
    if (typeof role !== "string")
      return `messages[${i}].role must be a string: user, assistant, system, ...`;
    if (!(content === undefined || content === null || typeof content === "string"))
      if (!Array.isArray(content) || !content.every((p) => typeof p === "object" && p !== null))
        return `messages[${i}].content must be a string, a list of content parts, or null`;
  }
  return undefined;
}
