import { request } from "node:http";
import { join } from "node:path";
import { openStore } from "@infermark/store";
import { describe, expect, it } from "vitest";
import { startUiCli, tempDir } from "./helpers.js";

/** Status, headers (without Date) and body length of one request, as sent: not decompressed. */
function exchange(base: string, method: "GET" | "HEAD", path: string, encoding: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; bodyBytes: number }>(
    (resolve, reject) => {
      const req = request(
        new URL(path, base),
        { method, agent: false, headers: { "accept-encoding": encoding } },
        (res) => {
          let bodyBytes = 0;
          res.on("data", (chunk: Buffer) => {
            bodyBytes += chunk.length;
          });
          res.on("end", () => {
            const { date: _date, ...headers } = res.headers;
            resolve({ status: res.statusCode!, headers, bodyBytes });
          });
        },
      );
      req.on("error", reject);
      req.end();
    },
  );
}

describe("infermark ui: HEAD of a dashboard file", () => {
  it("answers with the headers of its GET, Content-Length and Content-Encoding included, gzipped or not", async () => {
    const { dir, cleanup } = await tempDir("infermark-ui-head-");
    const db = join(dir, "ui.db");
    await (await openStore(db)).close();
    const ui = await startUiCli(["--db", db]);
    try {
      // app.js and app.css are over 1 KiB and gzipped when the client accepts it; index.html is under and never is
      for (const path of ["/", "/app.js", "/app.css"])
        for (const encoding of ["gzip", "identity"]) {
          const get = await exchange(ui.url, "GET", path, encoding);
          const head = await exchange(ui.url, "HEAD", path, encoding);
          const zipped = encoding === "gzip" && path !== "/";
          expect([path, encoding, get.status, get.headers["content-encoding"]]).toEqual([
            path,
            encoding,
            200,
            zipped ? "gzip" : undefined,
          ]);
          expect(Number(get.headers["content-length"])).toBe(get.bodyBytes);
          expect({ path, encoding, ...head }).toEqual({ path, encoding, ...get, bodyBytes: 0 });
        }
    } finally {
      await ui.stop();
      await cleanup();
    }
  }, 90_000);
});
