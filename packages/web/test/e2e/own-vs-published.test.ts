import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HARDWARE_COLORS } from "../../src/app/logic/group-styles.js";
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

/**
 * The analyst's own H200 runs, measured: SGLang FP8 (the configuration InferenceX publishes as `h200 sglang fp8
 * agg`) and vLLM FP8, DeepSeek-R1 1k/1k on 8 GPUs.
 */
const own = (framework: string, concurrency: number, intvty: number, tput: number) =>
  makeItem({
    id: "",
    framework,
    source: "measured",
    date: "2026-11-20",
    concurrency,
    intvty,
    tput,
  }).point;
const OWN = [
  own("sglang", 4, 70, 200),
  own("sglang", 16, 45, 420),
  own("sglang", 64, 25, 700),
  own("vllm", 4, 65, 180),
  own("vllm", 16, 40, 380),
];
const SGLANG = "dsr1|1024|1024|random|h200|sglang|fp8|none|agg";

type Plotted = {
  name: string;
  id: string;
  type: string;
  color?: string;
  data: [number, number, string][];
}[];

describe.skipIf(blocker)(
  "your own H200 runs next to InferenceX's H200 rows (`infermark ui`, chromium)",
  () => {
    let dir: string;
    let ui: UiProcess;
    let browser: Browser;
    let page: Page;
    const ownIds = new Set<string>();

    const plotted = () => page.evaluate(() => window.__infermark!.plotted()) as Promise<Plotted>;
    const open = async (hash: string) => {
      const n = await page.evaluate(() => Number(document.body.dataset.rendered ?? 0));
      await page.goto(`${ui.url}${hash}`);
      await page.waitForFunction((k) => Number(document.body.dataset.rendered ?? 0) > k, n, {
        timeout: 20_000,
      });
    };
    /** Each drawn group's scatter: its color and the ids of its points (`pts:<color>|<symbol>` holds one group here). */
    const groupsDrawn = async () => {
      const out = new Map<string, { color?: string; ids: string[] }>();
      for (const s of await plotted()) {
        if (s.type !== "scatter" || !s.id.startsWith("pts:")) continue;
        const key = s.id.slice(s.id.indexOf(":") + 1);
        out.set(key, { color: s.color, ids: s.data.map((d) => d[2]) });
      }
      return out;
    };

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      dir = mkdtempSync(join(tmpdir(), "infermark-own-e2e-"));
      const db = join(dir, "own.db");
      await runCli([
        "import",
        "inferencex",
        "examples/data/inferencex/benchmarks.json",
        "examples/data/inferencex/benchmarks-history.json",
        "--db",
        db,
      ]);
      const file = join(dir, "own.json");
      writeFileSync(file, JSON.stringify(OWN));
      await runCli(["ingest", file, "--db", db]);
      ui = await startUi(db);
      const res = (await (
        await fetch(new URL("api/points?source=measured&fields=slim", ui.url))
      ).json()) as { points: { id: string }[] };
      for (const p of res.points) ownIds.add(p.id);
      expect(ownIds.size).toBe(OWN.length);
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await ui?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("your SGLang runs and InferenceX's of the same configuration are two groups, two frontiers, named by source", async () => {
      await open("#workload=1024%2F1024&hardware=h200&precision=fp8");
      const drawn = await groupsDrawn();
      const mine = drawn.get(`${SGLANG}|measured`);
      const published = drawn.get(`${SGLANG}|InferenceX`);
      expect(mine?.ids.length).toBe(3);
      expect(mine!.ids.every((id) => ownIds.has(id))).toBe(true);
      expect(published!.ids.length).toBeGreaterThan(0);
      expect(published!.ids.some((id) => ownIds.has(id))).toBe(false);
      // no pooled group holds both
      expect(drawn.has(SGLANG)).toBe(false);
      // a screenshot of the chart says whose points it draws and when they ran
      expect((await page.evaluate(() => window.__infermark!.title()))?.subtext).toBe(
        "dsr1 · ISL/OSL 1024/1024 · h200 · fp8 · InferenceX, measured · runs 2025-11-02 to 2026-11-20",
      );
      const legend = await page.locator(".legend-item").allTextContents();
      expect(legend).toContain(`sglang agg measured (3)`);
      expect(legend).toContain(`sglang agg InferenceX (${published!.ids.length})`);
      // the frontier lines: one per source
      const lines = (await plotted()).filter((s) => s.id.startsWith("front:")).map((s) => s.id);
      expect(lines).toContain(`front:${SGLANG}|measured`);
      expect(lines).toContain(`front:${SGLANG}|InferenceX`);
      await page.screenshot({ path: join(SHOTS, "own-vs-published-h200.png") });
      // trends: a line per source, named as in the legend
      await open("#view=trends&workload=1024%2F1024&hardware=h200&precision=fp8&target=40");
      const trends = (await plotted()).map((s) => [s.id, s.name]);
      expect(trends).toContainEqual([`trend:${SGLANG}|measured`, "sglang agg measured"]);
      expect(trends).toContainEqual([`trend:${SGLANG}|InferenceX`, "sglang agg InferenceX"]);
      expect(await page.locator(".legend-item").allTextContents()).toContain("sglang agg measured");
    }, 60_000);

    it("a link made before the split still hides and pairs the group it named, now two", async () => {
      // hidden: the unsplit key hides both parts; the legend shows them hidden, the chart draws neither
      await open(`#workload=1024%2F1024&hardware=h200&precision=fp8&hidden=${SGLANG}`);
      const drawn = await groupsDrawn();
      expect(drawn.has(`${SGLANG}|measured`)).toBe(false);
      expect(drawn.has(`${SGLANG}|InferenceX`)).toBe(false);
      expect(drawn.size).toBeGreaterThan(0);
      const pressed = (key: string) =>
        page.locator(`.legend-item[data-key="${key}"]`).getAttribute("aria-pressed");
      expect([await pressed(`${SGLANG}|InferenceX`), await pressed(`${SGLANG}|measured`)]).toEqual([
        "false",
        "false",
      ]);
      // showing one part again keeps the other hidden, under the keys the view has
      await page.locator(`.legend-item[data-key="${SGLANG}|measured"]`).click();
      await expect.poll(() => page.evaluate(() => location.hash)).toContain("hidden=");
      const hash = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));
      expect(hash.get("hidden")).toBe(`${SGLANG}|InferenceX`);
      // pair: the unsplit key picks its first part in the legend's order, InferenceX's
      await open(
        `#view=compare&workload=1024%2F1024&hardware=h200&precision=fp8&target=40&pair=${SGLANG},${SGLANG}|measured`,
      );
      expect(await page.locator("#pair-a").inputValue()).toBe(`${SGLANG}|InferenceX`);
      expect(await page.locator("#pair-b").inputValue()).toBe(`${SGLANG}|measured`);
      expect(await page.locator("#view").textContent()).toMatch(
        /sglang agg InferenceX \/ sglang agg measured = \d+\.\d\d×/,
      );
    }, 60_000);

    it("on one GPU each group takes a color of its own (H200's first), in the compare bars and the frontier", async () => {
      await open("#view=compare&workload=1024%2F1024&hardware=h200&precision=fp8&target=40");
      const bars = (await plotted())[0]!.data as unknown as {
        name: string;
        itemStyle: { color: string };
      }[];
      const barColor = (name: string) => bars.find((b) => b.name === name)?.itemStyle.color;
      const mine = barColor("sglang agg measured");
      const published = barColor("sglang agg InferenceX");
      expect(mine).toBeDefined();
      expect(published).toBeDefined();
      expect(mine).not.toBe(published);
      expect(new Set(bars.map((b) => b.itemStyle.color)).size).toBe(bars.length);
      await page.screenshot({ path: join(SHOTS, "own-vs-published-h200-compare.png") });
      await open("#workload=1024%2F1024&hardware=h200&precision=fp8");
      const colors = [...(await groupsDrawn()).values()].map((g) => g.color);
      expect(colors.length).toBeGreaterThan(2);
      expect(colors.length).toBeLessThanOrEqual(10);
      expect(new Set(colors).size).toBe(colors.length);
      expect(colors[0]).toBe(HARDWARE_COLORS.h200);
    }, 60_000);

    it("a phone's width (390 px): a point's and a bar's tooltip stay on the screen, their rows whole", async () => {
      const phone = await (
        await browser.newContext({ viewport: { width: 390, height: 844 } })
      ).newPage();
      const tooltipBox = () =>
        phone.evaluate(() => {
          // ECharts' tooltip: the chart's absolutely placed element that shows text
          const tip = [...document.querySelectorAll<HTMLElement>("#chart > div")].find(
            (d) => d.style.position === "absolute" && d.style.display !== "none" && d.textContent,
          );
          if (!tip) return undefined;
          const r = tip.getBoundingClientRect();
          return { left: r.left, right: r.right, text: tip.textContent };
        });
      /** Hovers the data item at (x, y) of the main chart, scrolled to the screen's middle. */
      const hover = async (x: number, y: number) => {
        await phone.evaluate(() =>
          document.querySelector("#chart")!.scrollIntoView({ block: "center" }),
        );
        const at = (await phone.evaluate(([a, b]) => window.__infermark!.toPixel(a!, b!), [x, y]))!;
        const box = (await phone.locator("#chart").boundingBox())!;
        await phone.mouse.move(box.x + at[0], box.y + at[1]);
        await phone.waitForFunction(() =>
          [...document.querySelectorAll<HTMLElement>("#chart > div")].some(
            (d) => d.style.position === "absolute" && d.style.display !== "none" && d.textContent,
          ),
        );
      };
      await phone.goto(`${ui.url}#workload=1024%2F1024&hardware=h200&precision=fp8`);
      await phone.waitForFunction(() => Number(document.body.dataset.rendered ?? 0) > 0);
      // the point furthest right: its tooltip (a disaggregated deployment's, the longest rows) opens to its left
      const points = ((await phone.evaluate(() => window.__infermark!.plotted())) as Plotted)
        .filter((s) => s.id.startsWith("pts:"))
        .flatMap((s) => s.data);
      const right = points.reduce((a, p) => (p[0] > a[0] ? p : a));
      await hover(right[0], right[1]);
      const point = (await tooltipBox())!;
      expect(point.text).toContain("parallelism");
      expect(point.left).toBeGreaterThanOrEqual(0);
      expect(point.right).toBeLessThanOrEqual(390);
      await phone.screenshot({ path: join(SHOTS, "tooltip-phone-frontier.png") });
      // the first compare bar, at the screen's left edge: its tooltip names its group whole
      await phone.goto(
        `${ui.url}#view=compare&workload=1024%2F1024&hardware=h200&precision=fp8&target=40`,
      );
      await phone.waitForFunction(() => Number(document.body.dataset.rendered ?? 0) > 1);
      const bars = ((await phone.evaluate(() => window.__infermark!.plotted())) as Plotted)[0]!
        .data as unknown as { name: string; value: number }[];
      await hover(0, bars[0]!.value / 2);
      const bar = (await tooltipBox())!;
      expect(bar.text).toContain("frontier range");
      expect(bar.left).toBeGreaterThanOrEqual(0);
      expect(bar.right).toBeLessThanOrEqual(390);
      await phone.screenshot({ path: join(SHOTS, "tooltip-phone-compare.png") });
      await phone.context().close();
    }, 60_000);
  },
);
