import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PointResult } from "@infermark/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserTestsBlocker,
  launchChromium,
  runCli,
  startUi,
  type UiProcess,
} from "../helpers/browser.js";
import { makeItem } from "../helpers/make-point.js";

const blocker = browserTestsBlocker();

const KEY = "dsr1|1024|1024|random|h200|sglang|fp8|none|agg";

/**
 * An analyst's H200 SGLang runs: three valid levels, and one at concurrency 8 whose server ignored max_tokens, its
 * throughput inflated so far that it tops the frontier and hides the valid levels at 16 and 64.
 */
const own = (concurrency: number, intvty: number, tput: number, invalid?: string) => {
  const { point } = makeItem({
    id: "",
    source: "measured",
    date: "2026-11-20",
    concurrency,
    intvty,
    tput,
  });
  return invalid ? { ...point, validity: { valid: false, reasons: [invalid] } } : point;
};
const OWN: PointResult[] = [
  own(4, 70, 200),
  own(8, 60, 900, "output length 3.1x the requested max_tokens (the server ignored max_tokens)"),
  own(16, 45, 420),
  own(64, 25, 700),
];

type Plotted = { id: string; type: string; data: [number, number, string][] }[];

describe.skipIf(blocker)('"Valid points only" on the dashboard (`infermark ui`, chromium)', () => {
  let dir: string;
  let ui: UiProcess;
  let browser: Browser;
  let page: Page;
  const idOf = new Map<number, string>();

  const rendered = async (after: number) => {
    await page.waitForFunction((n) => Number(document.body.dataset.rendered ?? 0) > n, after, {
      timeout: 20_000,
    });
    return Number(await page.evaluate(() => document.body.dataset.rendered));
  };
  const count = () => page.evaluate(() => Number(document.body.dataset.rendered ?? 0));
  /** The ids of the points on the group's frontier line, by concurrency. */
  const frontier = async () => {
    const series = (await page.evaluate(() => window.__infermark!.plotted())) as Plotted;
    const line = series.find((s) => s.id === `front:${KEY}`);
    const concurrency = new Map([...idOf].map(([c, id]) => [id, c]));
    return (line?.data ?? []).map((d) => concurrency.get(d[2])).sort((a, b) => a! - b!);
  };
  const status = () => page.locator("#status").textContent();
  const hash = async () => new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "infermark-valid-only-e2e-"));
    const db = join(dir, "own.db");
    const file = join(dir, "own.json");
    writeFileSync(file, JSON.stringify(OWN));
    await runCli(["ingest", file, "--db", db]);
    ui = await startUi(db);
    const res = (await (await fetch(new URL("api/points?fields=full", ui.url))).json()) as {
      points: { id: string; point: PointResult }[];
    };
    for (const p of res.points) idOf.set(p.point.config.load.concurrency!, p.id);
    expect([...idOf.keys()].sort((a, b) => a - b)).toEqual([4, 8, 16, 64]);
    browser = await launchChromium();
    page = await (
      await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
    ).newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("off by default: the invalid level is drawn, on the frontier, and the status line says so", async () => {
    await page.goto(`${ui.url}#workload=1024%2F1024&hardware=h200`);
    await rendered(0);
    expect(await page.getByLabel("Valid points only").isChecked()).toBe(false);
    expect(await frontier()).toEqual([4, 8]);
    expect(await status()).toBe(
      "4 points in 1 of 1 group; 1 invalid point included (their reasons in the tooltip)",
    );
  }, 60_000);

  it("on: the frontier runs through the valid levels, the URL keeps it, a reload and unchecking round-trip", async () => {
    let n = await count();
    await page.getByLabel("Valid points only").check();
    n = await rendered(n);
    expect(await frontier()).toEqual([4, 16, 64]);
    expect((await hash()).get("validOnly")).toBe("true");
    await expect
      .poll(status)
      .toBe("3 points in 1 of 1 group; valid points only: 1 invalid point left out");

    // a link with the filter opens with it: checked, the same frontier and status
    await page.reload();
    await rendered(0);
    expect(await page.getByLabel("Valid points only").isChecked()).toBe(true);
    expect(await frontier()).toEqual([4, 16, 64]);
    await expect
      .poll(status)
      .toBe("3 points in 1 of 1 group; valid points only: 1 invalid point left out");

    // Export CSV writes the valid points, the invalid level's id in none of its rows
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    const csv = readFileSync((await download.path())!, "utf8")
      .trimEnd()
      .split("\r\n");
    const ids = csv.slice(1).map((row) => row.split(",")[1]);
    expect(ids.sort()).toEqual([idOf.get(4), idOf.get(16), idOf.get(64)].sort());

    // the table reads the same valid points
    n = await count();
    await page.getByLabel("Show as table").check();
    n = await rendered(n);
    const rows = await page.locator("table tbody tr").count();
    expect(rows).toBe(3);

    n = await count();
    await page.getByLabel("Valid points only").uncheck();
    n = await rendered(n);
    expect((await hash()).has("validOnly")).toBe(false);
    expect(await page.locator("table tbody tr").count()).toBe(4);
  }, 60_000);
});
