import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LARGE_POINTS } from "../../src/app/ui/chart-options.js";
import { fmt } from "../../src/app/ui/format.js";
import type { Plotted as PlottedSeries } from "../../src/app/ui/render-log.js";
import {
  browserTestsBlocker,
  launchChromium,
  REPO,
  runCli,
  startUi,
  type UiProcess,
} from "../helpers/browser.js";
import { makeItem } from "../helpers/make-point.js";

const blocker = browserTestsBlocker();
const SHOTS = join(REPO, "test-results", "dashboard");

type Plotted = (Omit<PlottedSeries, "data"> & { data: [number, number, string][] })[];

/** Four groups (h200 and b200, SGLang and vLLM) of 1,500 load levels each: 6,000 points, over `LARGE_POINTS`. */
const GROUPS = [
  ["h200", "sglang"],
  ["h200", "vllm"],
  ["b200", "sglang"],
  ["b200", "vllm"],
] as const;
const LEVELS = 1500;
/** Every 50th level (25, 75, ...) reports an output throughput 10x below Little's law: 30 flagged per group. */
const flaggedLevel = (c: number) => c % 50 === 25;

const POINTS = GROUPS.flatMap(([hardware, framework], g) =>
  Array.from({ length: LEVELS }, (_, k) => {
    const c = k + 1;
    return makeItem({
      id: "",
      hardware,
      framework,
      concurrency: c,
      // each group's lowest load at its own interactivity (1,000 to 1,300 tok/s/user), far apart on the x axis
      intvty: (1000 + 100 * g) / Math.sqrt(c),
      // a jittered rise with load: some points fall under their group's frontier
      tput: (200 + 50 * g) * Math.log2(1 + c) * (1 + ((c * 7919) % 100) / 400),
      belowLittle: flaggedLevel(c) ? 10 : 1,
    }).point;
  }),
);

describe.skipIf(blocker)(
  "a large point set (6,000 points, `infermark ui`, chromium): ECharts large mode, every point hoverable",
  () => {
    let dir: string;
    let ui: UiProcess;
    let browser: Browser;
    let page: Page;

    const plotted = () => page.evaluate(() => window.__infermark!.plotted()) as Promise<Plotted>;
    const rendered = () => page.evaluate(() => Number(document.body.dataset.rendered ?? 0));
    const waitRendered = (n: number) =>
      page.waitForFunction((k) => Number(document.body.dataset.rendered ?? 0) > k, n, {
        timeout: 30_000,
      });
    const open = async (hash: string) => {
      const n = await rendered();
      await page.goto(`${ui.url}${hash}`);
      await waitRendered(n);
    };
    /**
     * Moves the mouse over a data point and resolves with the tooltip shown there once it gives that point's x
     * (its group and first rows), or the last one shown after 5 s.
     */
    const hover = async (x: number, y: number) => {
      await page.mouse.move(0, 0);
      const [px, py] = (await page.evaluate(
        ([a, b]) => window.__infermark!.toPixel(a!, b!),
        [x, y],
      ))!;
      const box = (await page.locator("#chart").boundingBox())!;
      await page.mouse.move(box.x + px, box.y + py);
      const read = () =>
        page.evaluate(() => {
          const tips = [...document.querySelectorAll<HTMLElement>("table.tip")];
          const tip = tips.find((t) => t.offsetParent !== null) ?? tips.at(-1);
          return {
            group: tip?.previousElementSibling?.textContent ?? null,
            rows: [...(tip?.querySelectorAll("tr") ?? [])]
              .slice(0, 3)
              .map((tr) => [
                tr.querySelector("th")?.textContent ?? "",
                tr.querySelector("td")?.textContent ?? "",
              ]),
          };
        });
      const until = Date.now() + 5_000;
      let tip = await read();
      while (tip.rows[1]?.[1] !== fmt(x) && Date.now() < until) {
        await page.waitForTimeout(100);
        tip = await read();
      }
      return tip;
    };

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      dir = mkdtempSync(join(tmpdir(), "infermark-large-e2e-"));
      const db = join(dir, "large.db");
      const file = join(dir, "points.json");
      writeFileSync(file, JSON.stringify(POINTS));
      await runCli(["ingest", file, "--db", db]);
      ui = await startUi(db);
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await ui?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("every configuration: the scatters and the flagged marks are drawn in large mode, and a frontier point and a flagged one give their tooltips", async () => {
      expect(POINTS.length).toBeGreaterThan(LARGE_POINTS);
      await open("#lines=all");
      const p = await plotted();
      const scatters = p.filter((s) => s.id.startsWith("pts:"));
      expect(scatters.reduce((n, s) => n + s.data.length, 0)).toBe(POINTS.length);
      // the rendering mode: every scatter one path (its markers under 4 px: squares, whatever its group's
      // symbol), the flagged marks one path of squares (as elements of their own, 30,000 crosses took 2 s a draw
      // on a 2-core VM)
      expect(scatters.map((s) => s.large)).toEqual(scatters.map(() => true));
      const flagged = p.filter((s) => s.id.startsWith("flagged:"));
      expect(flagged.map((s) => [s.large, s.symbol, s.color])).toEqual(
        flagged.map(() => [true, "rect", "#B00020"]),
      );
      const marked = flagged.flatMap((s) => s.data);
      expect(marked).toHaveLength(GROUPS.length * (LEVELS / 50));
      // the note names the mark drawn
      expect(await page.locator("#flagged-note").textContent()).toMatch(
        new RegExp(
          `^Self-consistency: ${marked.length} of 6000 points of the shown groups \\(\\d+ on a frontier\\) report an output throughput more than 4x from Little's law \\(docs/metrics\\.md\\), marked ■; figures and frontiers as published\\.$`,
        ),
      );
      // the frontiers: every group's line drawn; a frontier point (each group's lowest load: the highest
      // interactivity) gives its own tooltip from the large scatter under the line
      const fronts = p.filter((s) => s.id.startsWith("front:"));
      expect(fronts).toHaveLength(GROUPS.length);
      for (const front of fronts) {
        const [x, y] = front.data.reduce((a, b) => (b[0] > a[0] ? b : a));
        const tip = await hover(x, y);
        expect(tip.group).toBe(front.name);
        expect(tip.rows.slice(0, 2).map((r) => r[1])).toEqual([fmt(y), fmt(x)]);
      }
      // a flagged point: its mark's tooltip says why (the top group's level 25, clear of the other groups)
      const [fx, fy] = flagged
        .find((s) => s.id.includes("|b200|vllm|"))!
        .data.reduce((a, b) => (b[0] > a[0] ? b : a));
      const tip = await hover(fx, fy);
      expect(tip.rows.slice(0, 3)).toEqual([
        ["tput/GPU (tok/s/GPU)", fmt(fy)],
        ["interactivity (tok/s/user, median)", fmt(fx)],
        ["× output throughput more than 4x from Little's law", expect.stringMatching(/^reports /)],
      ]);
      await page.screenshot({ path: join(SHOTS, "frontier-large.png") });
      await page.mouse.move(0, 0);
    }, 90_000);

    it("a filter down to 3,000 points draws each marker and the crosses as elements again", async () => {
      await page.goto("about:blank");
      await open("#lines=all");
      const n = await rendered();
      await page.getByLabel("h200", { exact: true }).click();
      await waitRendered(n);
      const p = await plotted();
      const scatters = p.filter((s) => s.id.startsWith("pts:"));
      expect(scatters.reduce((k, s) => k + s.data.length, 0)).toBe(POINTS.length / 2);
      expect(scatters.some((s) => s.large)).toBe(false);
      const flagged = p.filter((s) => s.id.startsWith("flagged:"));
      expect(flagged.length).toBeGreaterThan(0);
      expect(flagged.every((s) => !s.large && s.symbol?.startsWith("path://"))).toBe(true);
      expect(await page.locator("#flagged-note").textContent()).toMatch(/, marked ×; /);
    }, 60_000);
  },
);
