import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "@infermark/store";
import { BUILT_IN_FIGURES } from "@infermark/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RTX6000_OVERRIDE } from "../../core/test/fixtures/rtx6000-override.js";
import { RTX6000_FIGURES } from "../../web/test/helpers/rtx6000-figures.js";
import { loadCatalogFigures } from "../src/commands/catalog.js";
import { startUiServer } from "../src/ui/api-server.js";
import { runCli } from "./helpers.js";

describe("the catalog of `infermark ui` and `infermark report` (--catalog FILE, INFERMARK_CATALOG)", () => {
  let dir: string;
  let store: Store;
  let override: string;
  let bad: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "infermark-ui-catalog-"));
    store = await openStore(join(dir, "ui.db"));
    override = join(dir, "rtx6000.yaml");
    writeFileSync(override, JSON.stringify(RTX6000_OVERRIDE));
    bad = join(dir, "bad.yaml");
    writeFileSync(bad, "gpus: { h200: { bogus: 1 } }\n");
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const catalogOf = async (options: Parameters<typeof startUiServer>[0]) => {
    const ui = await startUiServer({ ...options, port: 0, warm: false });
    try {
      const res = await fetch(new URL("api/catalog", ui.url));
      const query = await fetch(new URL("api/catalog?x=1", ui.url));
      return { status: res.status, body: await res.json(), query: query.status };
    } finally {
      await ui.close();
    }
  };

  it("GET /api/catalog answers the override's GPU prices and all-in power, naming the file", async () => {
    const r = await catalogOf({ store, catalog: await loadCatalogFigures(override) });
    expect(r.status).toBe(200);
    expect(r.body.override).toEqual({ file: "rtx6000.yaml" });
    expect(r.body.gpus.rtx6000).toEqual(RTX6000_FIGURES);
    expect(r.body.gpus.h200).toEqual(BUILT_IN_FIGURES.gpus.h200);
    expect(r.query).toBe(400);
  });

  it("GET /api/catalog answers the built-in figures without an override", async () => {
    const r = await catalogOf({ store });
    expect(r.body).toEqual(BUILT_IN_FIGURES);
    expect(r.body.override).toBeUndefined();
  });

  it("a missing or invalid override file: one line, exit 1, no server and no report", async () => {
    const missing = join(dir, "nope.yaml");
    const unknownField = `infermark: ${bad}: catalog override is invalid: gpus.h200: unknown gpu field "bogus"; known: name, vendor, hbmGb, hbmTbps, tflops, scaleUpGBps, scaleUpDomain, nicGbps, tdpW, allInKw, price, source\n`;
    const db = join(dir, "ui.db");
    const html = join(dir, "r.html");
    const runs = await Promise.all([
      runCli(["ui", "--db", db, "--port", "0", "--catalog", missing]),
      runCli(["ui", "--db", db, "--port", "0"], { env: { INFERMARK_CATALOG: bad } }),
      runCli(["report", db, "-o", html, "--catalog", bad]),
    ]);
    expect(runs.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [1, "", `infermark: ${missing}: cannot read the catalog override file: no such file\n`],
      [1, "", unknownField],
      [1, "", unknownField],
    ]);
    expect(existsSync(html)).toBe(false);
  });
});
