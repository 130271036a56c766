import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { PointResult } from "@infermark/core";
import { openStore } from "@infermark/store";
import { webAppDir } from "@infermark/web";
import { describe, expect, it } from "vitest";
import { startUiServer } from "../src/ui/api-server.js";
import { pointJson, REPO_ROOT, runCli, runCliInProcess, startUiCli, tempDir } from "./helpers.js";
import { rawRequest, statusLine } from "./ui-raw-request.js";

/** Opens a TCP connection to the server and resolves once it is open (or closed by the server first). */
const openSocket = (url: string) =>
  new Promise<Socket>((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.on("error", reject);
  });

/** Whether the server closes `socket` without answering a request sent on it. */
const closedUnanswered = (socket: Socket) =>
  new Promise<string>((resolve) => {
    let text = "";
    socket.on("data", (d) => {
      text += d;
    });
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(text));
    socket.write("GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  });

/**
 * A second process holding SQLite's write lock on `db` (`BEGIN EXCLUSIVE` and a write, as a long ingest does) until
 * it reads a line on stdin; then it commits and exits 0.
 */
function holdWriteLock(db: string): ChildProcessWithoutNullStreams {
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1]);
    db.exec("BEGIN EXCLUSIVE");
    db.prepare("update ingest_log set path = path").run();
    process.stdout.write("locked\\n");
    process.stdin.once("data", () => { db.exec("COMMIT"); db.close(); process.stdout.write("committed\\n"); });`;
  return spawn(process.execPath, ["-e", script, db], { cwd: REPO_ROOT });
}

describe("infermark ui limit flags", () => {
  it.each([
    ["--max-connections", "0", '--max-connections expects a positive integer, got "0"'],
    ["--max-heavy-requests", "1.5", '--max-heavy-requests expects a positive integer, got "1.5"'],
    ["--headers-timeout", "0", '--headers-timeout expects seconds from 1 to 300, got "0"'],
    ["--headers-timeout", "301", '--headers-timeout expects seconds from 1 to 300, got "301"'],
  ])("%s %s is refused in one line naming the flag", async (flag, value, message) => {
    const r = await runCliInProcess(["ui", flag, value]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});

describe.skipIf(!existsSync(join(webAppDir(), "app.js")))(
  "infermark ui (the real command) under a team's load (needs the built dashboard)",
  () => {
    it("--max-connections closes connections past the bound at once, and takes new ones when some close", async () => {
      const { dir, cleanup } = await tempDir("infermark-ui-conns-");
      const db = join(dir, "ui.db");
      // with a write token the server makes its store
      const ui = await startUiCli(["--db", db, "--max-connections", "3"], {
        INFERMARK_UI_TOKEN: "t",
      });
      const idle: Socket[] = [];
      try {
        for (let i = 0; i < 3; i++) idle.push(await openSocket(ui.url));
        // the fourth is closed without an answer: the idle three keep their places
        expect(await closedUnanswered(await openSocket(ui.url))).toBe("");
        idle.pop()!.destroy();
        await expect
          .poll(async () =>
            statusLine(await rawRequest(ui.url, "GET /api/health HTTP/1.1\r\nHost: localhost")),
          )
          .toBe("HTTP/1.1 200 OK");
      } finally {
        for (const s of idle) s.destroy();
        await ui.stop();
        await cleanup();
      }
    }, 90_000);

    it("--headers-timeout answers 408 to a client that does not finish its headers in time", async () => {
      const { dir, cleanup } = await tempDir("infermark-ui-headers-");
      const db = join(dir, "ui.db");
      writeFileSync(join(dir, "p.json"), JSON.stringify(pointJson(1)));
      await runCli(["ingest", "--db", db, join(dir, "p.json")]);
      const ui = await startUiCli(["--db", db, "--headers-timeout", "1"]);
      try {
        const answer = await new Promise<string>((resolve) => {
          const { hostname, port } = new URL(ui.url);
          let text = "";
          const socket = connect(Number(port), hostname, () =>
            socket.write("GET /api/health HTTP/1.1\r\nHost: localhost\r\n"),
          );
          socket.on("data", (d) => {
            text += d;
          });
          socket.on("close", () => resolve(text));
        });
        expect(statusLine(answer)).toBe("HTTP/1.1 408 Request Timeout");
      } finally {
        await ui.stop();
        await cleanup();
      }
    }, 90_000);

    it("reads go on while a write waits for another process's write lock, and the write lands once it is free", async () => {
      const { dir, cleanup } = await tempDir("infermark-ui-lock-");
      const db = join(dir, "ui.db");
      writeFileSync(join(dir, "p.json"), JSON.stringify(pointJson(1)));
      expect((await runCli(["ingest", "--db", db, join(dir, "p.json")])).code).toBe(0);
      const token = "t-lock";
      const ui = await startUiCli(["--db", db], { INFERMARK_UI_TOKEN: token });
      const holder = holdWriteLock(db);
      let held = "";
      holder.stdout.on("data", (d) => {
        held += d;
      });
      const holderExit = new Promise<number | null>((resolve) => holder.once("exit", resolve));
      try {
        await expect.poll(() => held, { timeout: 20_000 }).toBe("locked\n");
        const write = fetch(new URL("api/points", ui.url), {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify([PointResult.parse(pointJson(2))]),
        });
        // the write is in the server first, waiting for the lock; the reads come after it
        await new Promise((resolve) => setTimeout(resolve, 300));
        const reads = await Promise.all(
          ["api/dates?model=m1", "api/groups?model=m2", "api/points?model=m3"].map((p) =>
            fetch(new URL(p, ui.url), { signal: AbortSignal.timeout(10_000) }).then(
              (r) => r.status,
            ),
          ),
        );
        expect({ reads, held }).toEqual({ reads: [200, 200, 200], held: "locked\n" });
        holder.stdin.end("commit\n");
        expect(await holderExit).toBe(0);
        expect(held).toBe("locked\ncommitted\n");
        const written = await write;
        expect(written.status).toBe(200);
        expect(await written.json()).toMatchObject({ inserted: 1 });
      } finally {
        holder.kill();
        await ui.stop();
        await cleanup();
      }
    }, 90_000);
  },
);

describe("infermark ui's full-data bound and clients that go away", () => {
  it("gives back the place of a client that left before its full-data answer was started", async () => {
    const { dir, cleanup } = await tempDir("infermark-ui-gone-");
    const store = await openStore(join(dir, "ui.db"));
    await store.ingest([PointResult.parse(pointJson(1))], { kind: "ingest", path: "test" });
    const ui = await startUiServer({ store, port: 0, warm: false, maxHeavyRequests: 1 });
    try {
      const { hostname, port } = new URL(ui.url);
      // each sends its request and leaves at once, before the server has read the store for it
      await Promise.all(
        Array.from(
          { length: 20 },
          () =>
            new Promise<void>((resolve) => {
              const socket = connect(Number(port), hostname, () => {
                socket.write("GET /api/points?fields=full HTTP/1.1\r\nHost: localhost\r\n\r\n");
                socket.destroy();
              });
              socket.on("close", () => resolve());
            }),
        ),
      );
      await expect
        .poll(async () => (await fetch(new URL("api/points?fields=full", ui.url))).status, {
          timeout: 5_000,
        })
        .toBe(200);
    } finally {
      await ui.close();
      await store.close();
      await cleanup();
    }
  });
});

describe("infermark ui's dashboard files under many page loads", () => {
  it("sends a gzipped script with its length, and the new script once it is rebuilt", async () => {
    const { dir, cleanup } = await tempDir("infermark-ui-static-");
    const store = await openStore(join(dir, "ui.db"));
    const app = join(dir, "app");
    mkdirSync(app);
    writeFileSync(join(app, "index.html"), "<!doctype html><title>t</title>");
    const script = join(app, "app.js");
    writeFileSync(script, `one(${JSON.stringify("chart ".repeat(20_000))});`);
    const ui = await startUiServer({ store, port: 0, appDir: app, warm: false });
    const load = async () => {
      const answer = await new Promise<{ length: string | undefined; body: Buffer }>(
        (resolve, reject) =>
          httpGet(new URL("app.js", ui.url), { headers: { "accept-encoding": "gzip" } }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () =>
              resolve({ length: res.headers["content-length"], body: Buffer.concat(chunks) }),
            );
          }).on("error", reject),
      );
      return {
        length: Number(answer.length),
        bytes: answer.body.length,
        text: String(gunzipSync(answer.body)),
      };
    };
    try {
      const loads = await Promise.all([load(), load(), load()]);
      const first = {
        length: loads[0]!.bytes,
        bytes: loads[0]!.bytes,
        text: readFileSync(script, "utf8"),
      };
      expect(loads).toEqual([first, first, first]);
      // a rebuilt dashboard: another script, another modification time
      writeFileSync(script, `two(${JSON.stringify("table ".repeat(30_000))});`);
      utimesSync(script, new Date(), new Date(Date.now() + 60_000));
      const rebuilt = await load();
      expect(rebuilt.text).toBe(readFileSync(script, "utf8"));
      expect(rebuilt.length).toBe(rebuilt.bytes);
    } finally {
      await ui.close();
      await store.close();
      await cleanup();
    }
  });
});

describe("infermark ui and a client that stops reading its answer", () => {
  it("closes the stalled connection, and its full-data place serves others again", async () => {
    const { dir, cleanup } = await tempDir("infermark-ui-stall-");
    const store = await openStore(join(dir, "ui.db"));
    // 24 points of 1 MiB each: a `fields=full` answer of 24 MiB, more than loopback buffers hold
    const big = Array.from({ length: 24 }, (_, i) =>
      PointResult.parse(
        pointJson(i + 1, {
          run: {
            source: "measured",
            date: "2026-11-27",
            ciUrl: `https://ci.example/${"x".repeat(1 << 20)}`,
          },
        }),
      ),
    );
    await store.ingest(big, { kind: "ingest", path: "test" });
    const ui = await startUiServer({
      store,
      port: 0,
      warm: false,
      maxHeavyRequests: 1,
      stallTimeoutMs: 1_000,
    });
    const { hostname, port } = new URL(ui.url);
    const stalled = connect(Number(port), hostname, () => {
      stalled.pause();
      stalled.write("GET /api/points?fields=full HTTP/1.1\r\nHost: localhost\r\n\r\n");
    });
    stalled.on("error", () => undefined);
    try {
      await expect
        .poll(async () => (await fetch(new URL("api/points?fields=full", ui.url))).status)
        .toBe(503);
      await expect
        .poll(
          async () => {
            const res = await fetch(new URL("api/points?fields=full", ui.url));
            await res.arrayBuffer();
            return res.status;
          },
          { timeout: 15_000, interval: 200 },
        )
        .toBe(200);
    } finally {
      stalled.destroy();
      await ui.close();
      await store.close();
      await cleanup();
    }
  }, 60_000);
});
