import { once } from "node:events";
import { createServer } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { closeStalled, whileServerWorks } from "./server-work.js";

/**
 * A server as the ui's (a stall timeout, `closeStalled`) whose handler for `/slow` works 3 stall timeouts long, and
 * what one connection hears for `requests`, sent in one write: pipelined when several.
 */
async function heard(requests: string[]): Promise<string> {
  const server = createServer(async (req, res) => {
    try {
      for await (const _ of req); // the body
      await whileServerWorks(res, () => sleep(req.url === "/slow" ? 1_500 : 100));
      res.end(`done ${req.url}\n`);
    } catch {
      // the connection closed under the request: what the client heard says so
    }
  });
  server.timeout = 500;
  server.keepAliveTimeout = 200;
  server.on("timeout", closeStalled);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
  let text = "";
  socket.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
  });
  socket.write(requests.join(""));
  // closed by the server (stalled, or idle past the timeout once answered)
  await once(socket, "close");
  server.close();
  return text.match(/done \/\w+/g)?.join(", ") ?? "";
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
const post = (path: string) => `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi`;

describe("the stall timeout spares a connection the server is working for", () => {
  it("answers a request the server works on past the stall timeout", async () => {
    expect(await heard([post("/slow")])).toBe("done /slow");
  });

  it("answers a slow request pipelined behind another one (its answer has no socket of its own yet)", async () => {
    expect(await heard([get("/fast"), post("/slow")])).toBe("done /fast, done /slow");
  });

  it("still closes a connection whose client stops sending its request", async () => {
    // the body never comes whole: reading it fails ("aborted") once the server closes the connection
    const server = createServer((req, res) => {
      req.resume();
      req.once("end", () => res.end());
      req.once("error", () => undefined);
    });
    server.timeout = 300;
    server.on("timeout", closeStalled);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
    // a request line and no more: the client is the silent one
    socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhi");
    const start = performance.now();
    await once(socket, "close");
    server.close();
    expect(performance.now() - start).toBeLessThan(20_000);
  });
});
