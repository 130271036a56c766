import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openStore, type Store } from "@infermark/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUiServer, type UiServer } from "../src/ui/api-server.js";
import { NONE_CSP, PAGE_CSP } from "../src/ui/security-headers.js";
import { tempDir } from "./helpers.js";
import { answerHeaders, answerJson, rawRequest, statusLine } from "./ui-raw-request.js";

/** What `infermark ui` answers to requests a browser on another site, or a careless client, sends. */
describe("infermark ui on a shared machine (real server, real SQLite store)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: Store;
  let ui: UiServer;
  const port = () => new URL(ui.url).port;
  const send = (head: string, body = "") => rawRequest(ui.url, head, body);

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-ui-hardening-"));
    store = await openStore(join(dir, "ui.db"));
    const app = join(dir, "app");
    mkdirSync(app);
    writeFileSync(join(app, "index.html"), "<!doctype html><title>t</title>");
    writeFileSync(join(app, "app.js"), "one();");
    ui = await startUiServer({ store, port: 0, appDir: app, token: "s3cret", warm: false });
  });
  afterAll(async () => {
    await ui?.close();
    await store?.close();
    await cleanup?.();
  });

  it("refuses a Host that names another site (a DNS-rebinding page's), answers IP addresses and localhost", async () => {
    const evil = await send(`GET /api/health HTTP/1.1\r\nHost: evil.example:${port()}`);
    expect([statusLine(evil), answerJson(evil)]).toEqual([
      "HTTP/1.1 403 Forbidden",
      {
        error: `Host "evil.example:${port()}" is not a name of this server: open it by an IP address or localhost, or allow the name with infermark ui --allowed-host evil.example (a guard against DNS rebinding)`,
      },
    ]);
    // the page and the preflight too: a rebinding page reads neither
    for (const head of ["GET / HTTP/1.1", "OPTIONS /api/points HTTP/1.1"])
      expect(statusLine(await send(`${head}\r\nHost: evil.example`))).toBe(
        "HTTP/1.1 403 Forbidden",
      );
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, "[::1]", "LocalHost"])
      expect(statusLine(await send(`GET /api/health HTTP/1.1\r\nHost: ${host}`)), host).toBe(
        "HTTP/1.1 200 OK",
      );
    // HTTP/1.1 requires Host: answered in the API's shape (Node's own 400 has no body); HTTP/1.0 has none
    const none = await send("GET /api/health HTTP/1.1");
    expect([statusLine(none), answerJson(none)]).toEqual([
      "HTTP/1.1 400 Bad Request",
      { error: "an HTTP/1.1 request needs a Host header" },
    ]);
    expect(statusLine(await send("GET /api/health HTTP/1.0"))).toBe("HTTP/1.1 200 OK");
  });

  it("answers the names given as allowedHosts (--allowed-host), and the name it listens on", async () => {
    const named = await startUiServer({
      store,
      port: 0,
      host: "localhost",
      allowedHosts: ["Dash.Example.com"],
      warm: false,
    });
    try {
      const status = async (host: string) =>
        statusLine(await rawRequest(named.url, `GET /api/health HTTP/1.1\r\nHost: ${host}`));
      expect(await status("dash.example.com")).toBe("HTTP/1.1 200 OK");
      expect(await status("DASH.EXAMPLE.COM:443")).toBe("HTTP/1.1 200 OK");
      expect(await status("localhost")).toBe("HTTP/1.1 200 OK");
      expect(await status("other.example.com")).toBe("HTTP/1.1 403 Forbidden");
    } finally {
      await named.close();
    }
  });

  it("every answer says its type is the one sent and refuses framing; the page has a CSP of its own", async () => {
    const common = {
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
    };
    const host = "\r\nHost: localhost";
    const page = answerHeaders(await send(`GET / HTTP/1.1${host}`));
    expect(page).toMatchObject({
      ...common,
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": PAGE_CSP,
    });
    expect(PAGE_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const others = [
      ["GET /app.js HTTP/1.1", "text/javascript; charset=utf-8"],
      ["GET /api/health HTTP/1.1", "application/json; charset=utf-8"],
      ["GET /api/nosuch HTTP/1.1", "application/json; charset=utf-8"],
      ["DELETE /api/points HTTP/1.1", "application/json; charset=utf-8"],
      // refused by Node's parser, answered by the server's own text
      ["GET /api/health HTTP/9.9", "application/json; charset=utf-8"],
    ];
    for (const [line, type] of others)
      expect(answerHeaders(await send(`${line}${host}`)), line).toMatchObject({
        ...common,
        "content-type": type,
        "content-security-policy": NONE_CSP,
      });
    expect(answerHeaders(await send(`OPTIONS /api/points HTTP/1.1${host}`))).toMatchObject({
      ...common,
      allow: "GET, HEAD, POST, OPTIONS",
    });
  });

  it("answers CONNECT with 405 in the API's shape, instead of dropping the connection", async () => {
    const connect = await send(`CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22`);
    expect([statusLine(connect), answerJson(connect)]).toEqual([
      "HTTP/1.1 405 Method Not Allowed",
      { error: "method CONNECT not allowed here" },
    ]);
    expect(answerHeaders(connect).allow).toBe("GET, HEAD, OPTIONS");
  });
});
