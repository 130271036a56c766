/**
 * The prompt of a completions body (`prompt`: a string, strings or token ids) or a chat body (`messages`:
 * their contents joined by newlines, no chat template); undefined when it has none of these shapes.
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
  if (typeof p === "string") return p;
  if (Array.isArray(p) && p.every((x) => typeof x === "number")) return p as number[];
  if (Array.isArray(p) && p.every((x) => typeof x === "string")) return p.join("\n");
  return undefined;
}
