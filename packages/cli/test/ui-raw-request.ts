import { connect } from "node:net";

/**
 * Sends raw HTTP/1.1 text to a server (request targets, methods and headers fetch would refuse, normalise or add)
 * and resolves with all it answered, once the server closes the connection. `head` is the request line and
 * headers without the blank line that ends them; `Connection: close` is added.
 * @example await rawRequest(ui.url, "GET /api/health HTTP/1.1\r\nHost: evil.example")
 */
export function rawRequest(url: string, head: string, body = ""): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let text = "";
    const socket = connect(Number(port), hostname, () =>
      socket.write(`${head}\r\nConnection: close\r\n\r\n${body}`),
    );
    socket.on("data", (chunk) => {
      text += chunk;
    });
    socket.on("error", reject);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on("close", () => resolve(text));
  });
}

/** An answer's status line. */
export const statusLine = (answer: string) => answer.split("\r\n")[0]!;

/** An answer's headers, names in lower case. */
export function answerHeaders(answer: string): Record<string, string> {
  const lines = answer.slice(0, answer.indexOf("\r\n\r\n")).split("\r\n").slice(1);
  return Object.fromEntries(
    lines.map((l) => [
      l.slice(0, l.indexOf(":")).toLowerCase(),
      l.slice(l.indexOf(":") + 1).trim(),
    ]),
  );
}

/** An answer's body, parsed as JSON. */
export const answerJson = (answer: string): unknown =>
  JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));

/** A request's status line, sent with `Host: localhost` (see rawRequest). */
export const rawStatusLine = async (url: string, requestLine: string) =>
  statusLine(await rawRequest(url, `${requestLine}\r\nHost: localhost`));
