import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { get as httpGet, type IncomingHttpHeaders } from "node:http";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { PointResult } from "@infermark/core";
import { openStore, type Store } from "@infermark/store";
import { webAppDir } from "@infermark/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUiServer, type UiServer } from "../src/ui/api-server.js";
import { STORE_FILE_REPLACED } from "../src/ui/store-file-guard.js";
import { pointJson, spawnCli, tempDir } from "./helpers.js";
import { answerJson, rawRequest, statusLine } from "./ui-raw-request.js";

/** 24 points of 1 MiB each (a long CI link): a `fields=full` answer of 24 MiB, more than loopback buffers hold. */
const BIG_POINTS = Array.from({ length: 24 }, (_, i) =>
  PointResult.parse(
    pointJson(i + 1, {
      run: {
        source: "measured",
        date: "2026-11-27",
        ciUrl: `https://ci.example/${"x".repeat(1 << 20)}`,
      },
      metrics: { tputPerGpu: 100 + i, intvty: { median: 10 } },
    }),
  ),
);

/** What `infermark ui` does for an operator who shares it on a network (real server, real SQLite store). */
describe("infermark ui under load from a shared network", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: Store;
  let ui: UiServer;
  const held: Socket[] = [];
  const logged: string[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-ui-operator-"));
    store = await openStore(join(dir, "ui.db"));
    await store.ingest(BIG_POINTS, { kind: "ingest", path: "test" });
    const app = join(dir, "app");
    mkdirSync(join(app, "data"), { recursive: true });
    writeFileSync(join(app, "index.html"), "<!doctype html><title>t</title>");
    writeFileSync(join(app, "app.js"), "one();");
    writeFileSync(join(app, "app-chunk.js"), `two(${JSON.stringify("chart ".repeat(1000))});`);
    writeFileSync(join(app, "app.css"), "body{}");
    // what `tsc -b` writes beside the vite outputs: compiled modules, declarations, a build-info file
    writeFileSync(join(app, "data", "catalog-figures.js"), "export const x = 1;");
    writeFileSync(join(app, "data", "catalog-figures.d.ts"), "export declare const x: number;");
    writeFileSync(join(app, "index.js"), "export {};");
    writeFileSync(join(app, "tsconfig.build.tsbuildinfo"), "{}");
    ui = await startUiServer({
      store,
      port: 0,
      appDir: app,
      warm: false,
      maxHeavyRequests: 1,
      logError: (line) => logged.push(line),
    });
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await ui?.close();
    await store?.close();
    await cleanup?.();
  });

  /** Sends a request on a socket that never reads its answer: a slow client holding the answer in the server. */
  const slowReader = (path: string) =>
    new Promise<Socket>((resolve, reject) => {
      const { hostname, port } = new URL(ui.url);
      const socket = connect(Number(port), hostname, () => {
        socket.pause();
        socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
        resolve(socket);
      });
      socket.on("error", reject);
      held.push(socket);
    });

  /** Asks until `until` holds for the answer (or 20 s pass) and returns the answer. */
  const askUntil = async (path: string, until: (res: Response) => boolean) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await fetch(new URL(path, ui.url));
      if (until(res) || Date.now() > deadline) return res;
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it("refuses full-data answers past maxHeavyRequests with 503 and Retry-After, and takes them again once one is sent", async () => {
    const slow = await slowReader("/api/points?fields=full");
    const refused = await askUntil("api/points?fields=full", (res) => res.status === 503);
    expect([refused.status, refused.headers.get("retry-after"), await refused.json()]).toEqual([
      503,
      "2",
      {
        error: "the server is already sending 1 full-data answer (fields=full); retry in 2 s",
      },
    ]);
    // a point's request records are full data too; the cached and slim answers are not held back
    const { id } = (await store.queryPoints({}))[0]!;
    const records = await fetch(new URL(`api/points/${id}/requests`, ui.url));
    expect([records.status, records.headers.get("retry-after")]).toEqual([503, "2"]);
    await records.arrayBuffer();
    for (const path of ["api/points?fields=slim", "api/points?fields=columns", "api/groups"]) {
      const res = await fetch(new URL(path, ui.url));
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
    }
    // the slow client goes away: its place is free again
    slow.destroy();
    const again = await askUntil("api/points?fields=full", (res) => res.status === 200);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { points: unknown[] }).points).toHaveLength(24);
    // a refusal is the client's to retry, not a failure of the server: nothing logged per refused request
    expect(logged).toEqual([]);
  }, 60_000);

  /** GETs `path` with these headers and resolves with the status, headers and body as sent (not decoded). */
  const getRaw = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        httpGet(new URL(path, ui.url), { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        }).on("error", reject);
      },
    );

  it("gzips JSON and the dashboard's files for a client that accepts it; the same bytes once decoded", async () => {
    for (const path of ["api/points?fields=slim", "app-chunk.js"]) {
      const plain = await getRaw(path, { "accept-encoding": "identity" });
      const zipped = await getRaw(path, { "accept-encoding": "br, gzip;q=0.8" });
      expect([plain.headers["content-encoding"], plain.headers.vary], path).toEqual([
        undefined,
        "Accept-Encoding",
      ]);
      expect(
        [zipped.status, zipped.headers["content-encoding"], zipped.headers.vary],
        path,
      ).toEqual([200, "gzip", "Accept-Encoding"]);
      expect(gunzipSync(zipped.body).equals(plain.body), path).toBe(true);
      expect(zipped.body.length, path).toBeLessThan(plain.body.length / 3);
      // refused with q=0: sent as it is
      const refused = await getRaw(path, { "accept-encoding": "gzip;q=0" });
      expect(refused.headers["content-encoding"], path).toBeUndefined();
    }
    // a short answer is not worth it
    const health = await getRaw("api/health", { "accept-encoding": "gzip" });
    expect(health.headers["content-encoding"]).toBeUndefined();
  });

  it("serves only the files vite builds (the page, app*.js, app.css); tsc outputs and any other path are 404", async () => {
    const status = async (target: string) =>
      statusLine(await rawRequest(ui.url, `GET ${target} HTTP/1.1\r\nHost: localhost`));
    for (const path of ["/", "/index.html", "/app.js", "/app-chunk.js", "/app.css"])
      expect(await status(path), path).toBe("HTTP/1.1 200 OK");
    for (const path of [
      "/data/catalog-figures.js",
      "/data/catalog-figures.d.ts",
      "/data%2Fcatalog-figures.js",
      "/index.js",
      "/tsconfig.build.tsbuildinfo",
      "/..%2F..%2Fetc%2Fpasswd",
      "/%2e%2e/app/app.js",
      "/./app.js/",
    ])
      expect(await status(path), path).toBe("HTTP/1.1 404 Not Found");
    const answer = await rawRequest(
      ui.url,
      "GET /data/catalog-figures.js HTTP/1.1\r\nHost: localhost",
    );
    expect(answerJson(answer)).toEqual({ error: "not found: /data/catalog-figures.js" });
  });
});

describe("infermark ui and slow clients", () => {
  it("answers a client that trickles its headers (slowloris) with 408 in the API's shape and closes it", async () => {
    const { dir, cleanup } = await tempDir("infermark-ui-slow-");
    const store = await openStore(join(dir, "ui.db"));
    const ui = await startUiServer({ store, port: 0, warm: false, headersTimeoutMs: 300 });
    try {
      const { hostname, port } = new URL(ui.url);
      const answer = await new Promise<string>((resolve, reject) => {
        let text = "";
        const socket = connect(Number(port), hostname, () =>
          socket.write("GET /api/health HTTP/1.1\r\nHost: localhost\r\n"),
        );
        socket.on("data", (d) => {
          text += d;
        });
        socket.on("error", reject);
        socket.setTimeout(10_000, () => socket.destroy());
        socket.on("close", () => resolve(text));
      });
      expect([statusLine(answer), answerJson(answer)]).toEqual([
        "HTTP/1.1 408 Request Timeout",
        { error: "the request did not arrive in time; send it whole, without pauses" },
      ]);
    } finally {
      await ui.close();
      await store.close();
      await cleanup();
    }
  });
});

describe("infermark ui when its SQLite file is replaced under it", () => {
  it("answers 503 (reads, writes, health) instead of serving the old file and losing writes into it", async () => {
    const { dir, cleanup } = await tempDir("infermark-ui-replaced-");
    const served = join(dir, "ui.db");
    const store = await openStore(served);
    await store.ingest([PointResult.parse(pointJson(1))], { kind: "ingest", path: "test" });
    const logged: string[] = [];
    const ui = await startUiServer({
      store,
      port: 0,
      warm: false,
      token: "s3cret",
      logError: (line) => logged.push(line),
    });
    const count = async () => {
      const res = await fetch(new URL("api/points?fields=slim", ui.url));
      return [res.status, ((await res.json()) as { points?: unknown[] }).points?.length];
    };
    try {
      expect(await count()).toEqual([200, 1]);
      // a rebuilt database moved over the served one, as `mv new.db ui.db` does
      const rebuilt = join(dir, "new.db");
      const other = await openStore(rebuilt);
      await other.ingest([PointResult.parse(pointJson(2)), PointResult.parse(pointJson(4))], {
        kind: "ingest",
        path: "test",
      });
      await other.close();
      renameSync(rebuilt, served);
      const replaced = { error: STORE_FILE_REPLACED };
      for (const path of ["api/points?fields=slim", "api/groups", "api/health"]) {
        const res = await fetch(new URL(path, ui.url));
        expect([res.status, await res.json()], path).toEqual([503, replaced]);
      }
      const write = await fetch(new URL("api/points", ui.url), {
        method: "POST",
        headers: { authorization: "Bearer s3cret", "content-type": "application/json" },
        body: JSON.stringify([PointResult.parse(pointJson(8))]),
      });
      expect([write.status, await write.json()]).toEqual([503, replaced]);
      expect(logged[0]).toBe(`infermark ui: GET /api/points: 503 ${STORE_FILE_REPLACED}`);
    } finally {
      await ui.close();
      await store.close();
      await cleanup();
    }
  });
});

describe.skipIf(!existsSync(join(webAppDir(), "app.js")))(
  "infermark ui (the real command) and its write token (needs the built dashboard)",
  () => {
    it("never prints INFERMARK_UI_TOKEN: not on start, writes, refused writes or failed requests", async () => {
      const { dir, cleanup } = await tempDir("infermark-ui-token-");
      const token = "tok-9f3b7c2e-do-not-log";
      const db = join(dir, "ui.db");
      const child = spawnCli(["ui", "--db", db, "--port", "0"], {
        env: { INFERMARK_UI_TOKEN: token },
      });
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
      });
      child.stderr.on("data", (d) => {
        out += d;
      });
      try {
        await expect.poll(() => /on (http:\/\/\S+)/.exec(out), { timeout: 60_000 }).not.toBeNull();
        const url = /on (http:\/\/\S+)/.exec(out)![1]!;
        const write = (auth: string, body: unknown, query = "") =>
          fetch(new URL(`api/points${query}`, url), {
            method: "POST",
            headers: { authorization: auth, "content-type": "application/json" },
            body: JSON.stringify(body),
          }).then((res) => res.status);
        expect(await write(`Bearer ${token}`, [PointResult.parse(pointJson(1))])).toBe(200);
        expect(await write(`Bearer ${token}x`, [])).toBe(401);
        expect(await write(`Bearer ${token}`, [{ schema: "nope" }])).toBe(400);
        expect(await write(`Bearer ${token}`, [], `?token=${token}`)).toBe(400);
        // a failure the server logs: its database moved away under it
        renameSync(db, join(dir, "moved.db"));
        expect(await write(`Bearer ${token}`, [PointResult.parse(pointJson(2))])).toBe(503);
        await expect.poll(() => out).toContain("503 the database file was replaced");
      } finally {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
        await cleanup();
      }
      expect(out).not.toContain(token);
      expect(out).not.toContain("9f3b7c2e");
    }, 90_000);
  },
);
