import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PointResult } from "@infermark/core";
import type { Browser, ConsoleMessage, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DASH_ARRAYS,
  FALLBACK_STYLE,
  HARDWARE_COLORS,
  SYMBOL_PATHS,
} from "../../src/app/logic/group-styles.js";
import { decodeState, encodeState, type ViewState } from "../../src/app/state/view-state.js";
import { exportLegend } from "../../src/app/ui/export-legend.js";
import { exportNote } from "../../src/app/ui/export-note.js";
import { fmt } from "../../src/app/ui/format.js";
import type { Plotted as PlottedSeries } from "../../src/app/ui/render-log.js";
import {
  browserTestsBlocker,
  launchChromium,
  pngPixels,
  REPO,
  runCli,
  startUi,
  type UiProcess,
} from "../helpers/browser.js";
import { ownRun } from "../helpers/own-run.js";

const blocker = browserTestsBlocker();
const SHOTS = join(REPO, "test-results", "dashboard");
const TOKEN = "e2e-token";

type Plotted = (Omit<PlottedSeries, "data"> & { data: [number, number, string][] })[];

describe.skipIf(blocker)(
  "dashboard in chromium against `infermark ui` (real InferenceX rows)",
  () => {
    let dir: string;
    let ui: UiProcess;
    let browser: Browser;
    let page: Page;
    let ownId: string;
    const external: string[] = [];

    const api = async <T>(path: string): Promise<T> =>
      (await (await fetch(new URL(path, ui.url))).json()) as T;
    const count = async (query: string) =>
      (await api<{ points: unknown[] }>(`api/points?${query}`)).points.length;
    const plotted = () => page.evaluate(() => window.__infermark!.plotted()) as Promise<Plotted>;
    const state = () => page.evaluate(() => window.__infermark!.state());
    const rendered = async (after = 0) => {
      await page.waitForFunction((n) => Number(document.body.dataset.rendered ?? 0) > n, after, {
        timeout: 20_000,
      });
      return Number(await page.evaluate(() => document.body.dataset.rendered));
    };
    /** Opens a link (often a same-document hash change) and waits for the view it asks for to be drawn. */
    const open = async (hash: string) => {
      const n = await page.evaluate(() => Number(document.body.dataset.rendered ?? 0));
      await page.goto(`${ui.url}${hash}`);
      return rendered(n);
    };
    /**
     * The compare chart's value labels and what is wrong with them: one that reaches past its bar's slot of the axis
     * (over a neighbouring bar) or overlaps another label. Each label belongs to the bar whose center is nearest.
     */
    const valueLabelsClear = async () => {
      const labels = await page.evaluate(() => window.__infermark!.dataLabels());
      const bars = (await plotted())[0]!.data.length;
      const centers = await page.evaluate(
        (n) => Array.from({ length: n }, (_, k) => window.__infermark!.toPixel(k, 0)![0]),
        bars,
      );
      const half = bars > 1 ? (centers[1]! - centers[0]!) / 2 : Number.POSITIVE_INFINITY;
      const problems: string[] = [];
      for (const l of labels) {
        const middle = (l.left + l.right) / 2;
        const c = centers.reduce((a, b) => (Math.abs(b - middle) < Math.abs(a - middle) ? b : a));
        if (l.left < c - half || l.right > c + half)
          problems.push(
            `${l.text}: ${l.left.toFixed(1)}-${l.right.toFixed(1)} past its bar's slot ${(c - half).toFixed(1)}-${(c + half).toFixed(1)}`,
          );
      }
      labels.forEach((a, i) => {
        for (const b of labels.slice(i + 1))
          if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
            problems.push(`${a.text} / ${b.text} overlap`);
      });
      return { labels: labels.length, bars, problems };
    };
    /**
     * The text of each element `selector` matches (its first text node), the lines it is drawn on, and the words of
     * it (between spaces) broken over two lines though narrower than the element's content box.
     */
    const textLines = (selector: string) =>
      page.evaluate((sel) => {
        const canvas = document.createElement("canvas").getContext("2d")!;
        return [...document.querySelectorAll<HTMLElement>(sel)].map((el) => {
          const node = el.firstChild as Text;
          const text = node.data;
          const words = text.split(" ");
          // the whole text's span, then each word's
          const spans: [number, number][] = [[0, text.length]];
          let at = 0;
          for (const word of words) {
            spans.push([at, at + word.length]);
            at += word.length + 1;
          }
          const lines = spans.map(([from, to]) => {
            const range = document.createRange();
            range.setStart(node, from);
            range.setEnd(node, to);
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
          });
          const style = getComputedStyle(el);
          canvas.font = style.font;
          const room =
            el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          const split = words.filter(
            (w, i) => lines[i + 1]! > 1 && canvas.measureText(w).width < room,
          );
          return { text, lines: lines[0]!, split };
        });
      }, selector);
    /** The points the groups' scatters draw (not the crosses drawn over the flagged ones, `flagged`). */
    const scatterPoints = (p: Plotted) =>
      p.filter((s) => s.id.startsWith("pts:")).reduce((n, s) => n + s.data.length, 0);
    const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
    /**
     * A page in a browser context of its own, at the given viewport. No test reaches the network: anything not on
     * the local server is refused and recorded, as is any uncaught page error.
     */
    const newTab = async (viewport: { width: number; height: number }) => {
      const context = await browser.newContext({ viewport, acceptDownloads: true });
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith(ui.url) || url.startsWith("data:") || url.startsWith("blob:"))
          return route.continue();
        external.push(url);
        return route.abort();
      });
      // what the server's Content-Security-Policy refused (an inline script, an image from elsewhere): recorded too
      await context.addInitScript(() =>
        document.addEventListener("securitypolicyviolation", (e) =>
          console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
        ),
      );
      const tab = await context.newPage();
      tab.on("pageerror", (e) => external.push(`pageerror: ${e.message}`));
      tab.on("console", (m) => {
        if (m.text().startsWith("CSP violation")) external.push(m.text());
      });
      return tab;
    };

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      dir = mkdtempSync(join(tmpdir(), "infermark-e2e-"));
      const db = join(dir, "e2e.db");
      await runCli([
        "import",
        "inferencex",
        "examples/data/inferencex/benchmarks.json",
        "examples/data/inferencex/benchmarks-history.json",
        "--db",
        db,
      ]);
      ui = await startUi(db, { INFERMARK_UI_TOKEN: TOKEN });
      const own = ownRun();
      const res = await fetch(new URL("api/points", ui.url), {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ points: [own.point], requests: [own.requests] }),
      });
      expect(res.status).toBe(200);
      ownId = ((await res.json()) as { ids: string[] }).ids[0]!;
      browser = await launchChromium();
      page = await newTab({ width: 1280, height: 860 });
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await ui?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("frontier: the first view draws the best per GPU of the first workload, every configuration a click away", async () => {
      await page.goto(ui.url);
      let n = await rendered();
      const s = await state();
      expect(s.workload).toBe("1024/1024");
      expect(s.lines).toBe("best");
      // the choice shows in the controls, the status line and the legend: one entry per GPU, the configurations it pools
      expect(await page.getByLabel("Lines", { exact: true }).inputValue()).toBe("best");
      // it draws only the envelopes' points: "Hide points off the frontier" says so, and offers nothing to change
      const frontierOnly = page.getByLabel("Hide points off the frontier");
      expect([await frontierOnly.isChecked(), await frontierOnly.isDisabled()]).toEqual([
        true,
        true,
      ]);
      const best = await plotted();
      await shot("frontier-best");
      const bestLegend = await page.locator(".legend-item").allTextContents();
      const bestStatus = await page.locator("#status").textContent();

      // every configuration: each group's points and frontier, as a link with a filter shows them
      await page.getByLabel("Lines", { exact: true }).selectOption("all");
      n = await rendered(n);
      const all = await plotted();
      expect(scatterPoints(all)).toBe(await count("isl=1024&osl=1024&latest=true"));
      const groups = all.filter((x) => x.type === "line").length;
      expect(groups).toBe(all.filter((x) => x.id.startsWith("pts:")).length);
      expect(await page.locator(".legend-item").count()).toBe(groups);
      expect([await frontierOnly.isChecked(), await frontierOnly.isDisabled()]).toEqual([
        false,
        false,
      ]);
      expect(new URLSearchParams((await page.evaluate(() => location.hash)).slice(1))).toEqual(
        new URLSearchParams("workload=1024%2F1024"),
      );
      await shot("frontier");

      // each GPU's envelope is the Pareto frontier (higher is better on both axes) of all its configurations' points
      const byGpu = new Map<string, [number, number, string][]>();
      for (const g of all.filter((x) => x.id.startsWith("pts:"))) {
        const gpu = g.id.split("|")[4]!;
        byGpu.set(gpu, [...(byGpu.get(gpu) ?? []), ...g.data]);
      }
      const pareto = (pts: [number, number, string][]) =>
        pts
          .filter(([x, y]) => !pts.some(([a, b]) => a >= x && b >= y && (a > x || b > y)))
          .map((p) => p[2])
          .sort();
      const gpus = [...byGpu.keys()].sort();
      expect(gpus.length).toBeGreaterThan(3);
      const bestPts = best.filter((x) => x.id.startsWith("pts:"));
      expect(bestPts.map((x) => x.id.split("|").at(-1)).sort()).toEqual(gpus);
      for (const g of bestPts)
        expect(g.data.map((d) => d[2]).sort(), g.id).toEqual(
          pareto(byGpu.get(g.id.split("|").at(-1)!)!),
        );
      const configs = (gpu: string) =>
        all.filter((x) => x.id.startsWith("pts:") && x.id.split("|")[4] === gpu).length;
      expect(bestLegend).toEqual(bestPts.map((g) => `${g.name} (best of ${configs(g.name)})`));
      expect(bestStatus).toBe(
        `Best per GPU: ${gpus.length} of ${gpus.length} GPUs, each the envelope of its configurations (${groups} in all); ${scatterPoints(best)} of ${scatterPoints(all)} points on one`,
      );

      // the tooltip of an envelope's point names the GPU and the configuration that reaches it
      await page.getByLabel("Lines", { exact: true }).selectOption("best");
      n = await rendered(n);
      expect(new URLSearchParams((await page.evaluate(() => location.hash)).slice(1))).toEqual(
        new URLSearchParams("workload=1024%2F1024&lines=best"),
      );
      const h200 = (await plotted()).find((x) => x.id === "pts:best|dsr1|1024|1024|random|h200")!;
      const [x, y, id] = h200.data[0]!;
      const one = await api<{ point: PointResult }>(`api/points/${id}`);
      const [px, py] = (await page.evaluate(
        ([a, b]) => window.__infermark!.toPixel(a!, b!),
        [x, y],
      ))!;
      const box = (await page.locator("#chart").boundingBox())!;
      await page.mouse.move(box.x + px, box.y + py);
      await page.locator(".tip-group").waitFor({ timeout: 5_000 });
      const c = one.point.config;
      expect(await page.locator(".tip-group").textContent()).toMatch(
        new RegExp(
          `^h200: ${c.framework} ${c.precision}( mtp)? ${c.topology.disaggregated ? "disagg" : "agg"}`,
        ),
      );
      await page.mouse.move(0, 0);

      // checking a GPU from the first view shows that GPU's every configuration
      await page.getByLabel("h200", { exact: true }).check();
      n = await rendered(n);
      expect((await state()).lines).toBe("all");
      expect(await page.getByLabel("Lines", { exact: true }).inputValue()).toBe("all");
      expect(await page.locator(".legend-item").count()).toBe(configs("h200"));
      await page.getByLabel("h200", { exact: true }).uncheck();
      n = await rendered(n);
      // a link without any filter opens the first view again
      await open("#");
      expect((await state()).lines).toBe("best");
    }, 90_000);

    it("frontier: filters, axes and the URL state; a reload from the URL shows the same", async () => {
      let n = Number(await page.evaluate(() => document.body.dataset.rendered));
      await page.getByLabel("h200", { exact: true }).check();
      n = await rendered(n);
      let p = await plotted();
      expect(scatterPoints(p)).toBe(await count("isl=1024&osl=1024&hardware=h200&latest=true"));
      expect(p.every((x) => x.id.includes("|h200|"))).toBe(true);
      expect(await page.evaluate(() => location.hash)).toContain("hardware=h200");

      await page.getByLabel("Y axis", { exact: true }).selectOption("costPerMillionTotal");
      n = await rendered(n);
      await page.getByLabel("Price tier").selectOption("neocloud");
      n = await rendered(n);
      p = await plotted();
      // cost per million = $/GPU-h * 1e6 / (tput/GPU * 3600); h200 neocloud = $1.74/GPU-h (catalog)
      const [x, y, id] = p.find((q) => q.type === "scatter")!.data[0]!;
      const one = await api<{ point: PointResult }>(`api/points/${id}`);
      expect(y).toBeCloseTo((1.74 * 1e6) / (one.point.metrics.tputPerGpu! * 3600), 9);
      expect(x).toBeCloseTo(one.point.metrics.intvty!.median!, 9);

      await page.getByLabel("X axis", { exact: true }).selectOption("ttft");
      n = await rendered(n);
      await page.getByLabel("Log y axis").check();
      n = await rendered(n);
      await page.getByLabel("Hide points off the frontier").check();
      n = await rendered(n);
      p = await plotted();
      for (const g of p.filter((q) => q.type === "scatter")) {
        const line = p.find((q) => q.type === "line" && q.id === g.id.replace("pts:", "front:"))!;
        expect(g.data.map((d) => d[2]).sort()).toEqual(line.data.map((d) => d[2]).sort());
      }
      const hash = await page.evaluate(() => location.hash);
      expect(new URLSearchParams(hash.slice(1))).toEqual(
        new URLSearchParams(
          "x=ttft&y=costPerMillionTotal&tier=neocloud&yLog=true&workload=1024%2F1024&hardware=h200&frontierOnly=true",
        ),
      );
      // the same series, each with its look and points (their order is the slots a series update left them in:
      // ECharts' replaceMerge keeps a series whose id it had where it was)
      const byId = (q: Plotted) => [...q].sort((a, b) => a.id.localeCompare(b.id));
      const before = byId(await plotted());
      await shot("frontier-cost-ttft");
      await page.reload();
      await rendered();
      expect(byId(await plotted())).toEqual(before);
      expect(await page.getByLabel("Y axis", { exact: true }).inputValue()).toBe(
        "costPerMillionTotal",
      );
      expect(await page.getByLabel("Log y axis").isChecked()).toBe(true);
    }, 90_000);

    it("frontier: with points off the frontier hidden, the status says how many of the points are drawn", async () => {
      await open(`#workload=1024%2F1024&hardware=h200`);
      const all = await count("isl=1024&osl=1024&hardware=h200&latest=true");
      const groups = await page.locator(".legend-item").count();
      expect(await page.locator("#status").textContent()).toBe(
        `${all} points in ${groups} of ${groups} groups`,
      );
      await open(`#workload=1024%2F1024&hardware=h200&frontierOnly=true`);
      const drawn = scatterPoints(await plotted());
      expect(drawn).toBeLessThan(all);
      expect(await page.locator("#status").textContent()).toBe(
        `${drawn} of ${all} points shown (frontier only) in ${groups} of ${groups} groups`,
      );
    }, 60_000);

    it("frontier: every group has a look of its own, each GPU its color in every view, theme and reload", async () => {
      // the 1024/1024 snapshot and the own run: 61 groups on 9 GPUs, more than a palette has distinct colors
      await open(`#workload=1024%2F1024`);
      const p = await plotted();
      const byPath = new Map(
        Object.entries(SYMBOL_PATHS).map(([name, path]) => [`path://${path}`, name]),
      );
      const looks = new Map<string, { color?: string; symbol?: string; dash?: unknown }>();
      // the crosses over flagged points (Little's law) are drawn over the groups' own markers: no group's look
      for (const g of p.filter((s) => !s.id.startsWith("flagged:"))) {
        const key = g.id.slice(g.id.indexOf(":") + 1);
        const l = looks.get(key) ?? {};
        if (g.type === "scatter")
          Object.assign(l, { color: g.color, symbol: byPath.get(g.symbol!) });
        else Object.assign(l, { dash: g.dash });
        looks.set(key, l);
      }
      expect(looks.size).toBe(61);
      const triples = [...looks.values()].map((l) => JSON.stringify([l.color, l.symbol, l.dash]));
      expect(new Set(triples).size).toBe(61);
      // each GPU's groups are drawn in its color
      // (a group key is model|isl|osl|workload|hardware|...)
      for (const [key, l] of looks) expect(l.color).toBe(HARDWARE_COLORS[key.split("|")[4]!]);
      // the legend shows each group's look: color, marker and dash, all different
      const glyphs = async () =>
        page
          .locator(".legend-item .swatch")
          .evaluateAll((els) => els.map((e) => e.getAttribute("data-style")));
      const legend = await glyphs();
      expect(new Set(legend).size).toBe(61);
      expect([...legend].sort()).toEqual(
        [...looks.values()]
          .map((l) => {
            const dash = Object.entries(DASH_ARRAYS).find(
              ([name, a]) =>
                JSON.stringify(name === "solid" ? "solid" : a) === JSON.stringify(l.dash),
            )![0];
            return `${l.color}|${l.symbol}|${dash}`;
          })
          .sort(),
      );
      await shot("frontier-all-groups");
      // the same looks in the dark theme and after a reload
      await open(`#workload=1024%2F1024&theme=dark`);
      expect(await glyphs()).toEqual(legend);
      await shot("frontier-all-groups-dark");
      await page.reload();
      await rendered();
      expect(await glyphs()).toEqual(legend);
      // H200 keeps its color whatever else is shown: frontier with a filter, compare bars, trend lines
      const h200 = HARDWARE_COLORS.h200;
      await open(`#workload=1024%2F1024&hardware=h200,b200`);
      const filtered = await plotted();
      for (const g of filtered)
        expect(g.color).toBe(g.id.includes("|h200|") ? h200 : HARDWARE_COLORS.b200);
      await open(`#view=compare&workload=1024%2F1024&target=30`);
      const bars = (await plotted())[0]!.data as unknown as {
        name: string;
        itemStyle: { color: string };
      }[];
      const h200Bars = bars.filter((b) => b.name.startsWith("h200 "));
      for (const b of h200Bars) expect(b.itemStyle.color).toBe(h200);
      expect(h200Bars.length).toBeGreaterThan(1);
      await shot("compare-all-groups");
      await open(`#view=trends&workload=1024%2F1024&target=30&source=imported`);
      const trends = await plotted();
      const h200Lines = trends.filter((l) => l.id.includes("|h200|"));
      expect(h200Lines.length).toBeGreaterThan(1);
      for (const l of trends) expect(l.color).toBe(HARDWARE_COLORS[l.id.split("|")[4]!]);
      await shot("trends-all-groups");
    }, 90_000);

    it("frontier: legend toggles by keyboard, and CSV export holds the plotted points", async () => {
      let n = await open(`#workload=8192%2F1024&source=imported`);
      const before = await plotted();
      const first = page.locator(".legend-item").first();
      const key = (await first.getAttribute("data-key"))!;
      await first.focus();
      await page.keyboard.press("Space");
      n = await rendered(n);
      expect(await page.locator(".legend-item").first().getAttribute("aria-pressed")).toBe("false");
      // focus stays on the entry, so Space shows the group again and Tab goes on to the next entry
      expect(await page.evaluate(() => document.activeElement?.getAttribute("data-key"))).toBe(key);
      const after = await plotted();
      expect(after.length).toBe(before.length - 2);
      expect(after.some((s) => s.id.endsWith(key))).toBe(false);
      expect(before.some((s) => s.id.endsWith(key))).toBe(true);
      expect((await state()).hidden).toHaveLength(1);

      // the tooltip of a plotted point gives its configuration and the link to its run
      const [x, y, id] = after.find((q) => q.type === "scatter" && q.data.length > 0)!.data[0]!;
      const one = await api<{ point: PointResult }>(`api/points/${id}`);
      const [px, py] = (await page.evaluate(
        ([a, b]) => window.__infermark!.toPixel(a!, b!),
        [x, y],
      ))!;
      const box = (await page.locator("#chart").boundingBox())!;
      await page.mouse.move(box.x + px, box.y + py);
      const tip = page.locator(".tip").first();
      await tip.waitFor({ timeout: 5_000 });
      expect(await tip.textContent()).toContain(
        `${one.point.config.hardware} × ${one.point.config.topology.gpus} GPUs`,
      );
      // first, the point's group as the legend names it
      const group = after.find((q) => q.type === "scatter" && q.data.length > 0)!;
      const entry = page.locator(`.legend-item[data-key="${group.id.slice("pts:".length)}"]`);
      const legendLabel = (await entry.textContent())!.replace(/ \(\d+\)$/, "");
      expect(legendLabel).toBe(group.name);
      expect(await page.locator(".tip-group").textContent()).toBe(legendLabel);
      // the link keeps the view's settings (here its ISL/OSL, source and hidden group) for the way back
      expect(await page.locator(".tip-links a").first().getAttribute("href")).toBe(
        `#${encodeState({ ...((await state()) as ViewState), view: "run", run: id })}`,
      );

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export CSV" }).click(),
      ]);
      const csv = readFileSync((await download.path())!, "utf8")
        .trim()
        .split("\r\n");
      expect(download.suggestedFilename()).toBe("infermark-frontier.csv");
      expect(csv[0]).toBe("group,point_id,intvty,tputPerGpu,on_frontier,self_consistency");
      expect(csv.length - 1).toBe(scatterPoints(after));
      const [png] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export PNG" }).click(),
      ]);
      expect(png.suggestedFilename()).toBe("infermark-frontier.png");
      expect(
        readFileSync((await png.path())!)
          .subarray(1, 4)
          .toString(),
      ).toBe("PNG");
    }, 60_000);

    it("legends use the short labels of the chart's series, with the full label as each entry's title", async () => {
      const full = ["dsr1 1024/1024 h200 sglang fp8 mtp agg", "dsr1 1024/1024 h200 sglang fp8 agg"];
      const legend = async () => ({
        labels: (await page.locator(".legend-item").allTextContents()).map((t) =>
          t.replace(/ \(\d+\)$/, ""),
        ),
        titles: await page
          .locator(".legend-item")
          .evaluateAll((els) => els.map((e) => e.getAttribute("title"))),
      });
      await open(`#workload=1024%2F1024&hardware=h200&framework=sglang`);
      // the series' names (in the slots a series update left them in: ECharts' replaceMerge keeps a series whose id
      // it had where it was), in the legend in the groups' order
      const lines = ["mtp", "no spec decoding"];
      expect(
        (await plotted())
          .filter((p) => p.type === "line")
          .map((l) => l.name)
          .sort(),
      ).toEqual(lines);
      expect(await legend()).toEqual({ labels: lines, titles: full });
      // the compare view's legend in its bars' order, best first
      await open(`#view=compare&workload=1024%2F1024&hardware=h200&framework=sglang`);
      const bars = ((await plotted())[0]!.data as unknown as { name: string }[]).map((b) => b.name);
      expect([...bars].sort()).toEqual(lines);
      expect(await legend()).toEqual({
        labels: bars,
        titles: bars.map((b) => full[lines.indexOf(b)]),
      });
      await open(`#view=trends&workload=1024%2F1024&hardware=h200&framework=sglang`);
      expect(await legend()).toEqual({ labels: lines, titles: full });
    }, 60_000);

    it("frontier: the exported PNG carries a legend of the drawn groups under the chart", async () => {
      await open(`#workload=1024%2F1024&hardware=h200`);
      const lines = (await plotted()).filter((p) => p.type === "line");
      const colors = await page.locator(".legend-item .swatch").evaluateAll((els) =>
        els.map((e) => {
          const hex = e.getAttribute("data-style")!.slice(1, 7);
          const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
          return `rgb(${r}, ${g}, ${b})`;
        }),
      );
      // the chart's size as ECharts reads it (whole CSS pixels)
      const box = await page
        .locator("#chart")
        .evaluate((e) => ({ width: e.clientWidth, height: e.clientHeight }));
      const legend = exportLegend(
        lines.map((l) => ({ label: l.name, style: FALLBACK_STYLE })),
        box.width,
        box.height,
        "",
      );
      expect(legend.height).toBeGreaterThan(0);
      const [png] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export PNG" }).click(),
      ]);
      const bytes = readFileSync((await png.path())!);
      // IHDR: width and height at bytes 16-23; the image is drawn at pixel ratio 2
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([
        box.width * 2,
        (box.height + legend.height) * 2,
      ]);
      // each group's marker is drawn in its color, in the legend's order: the centre of its 10 px box, which
      // every marker fills, 5 px right of where its line would start 12 px in
      const swatches = legend.elements
        .filter((e) => e.type === "line")
        .map((e) => [(e.shape.x1 - 12 + 5) * 2, e.shape.y1 * 2] as [number, number]);
      const drawn = (
        await pngPixels(
          page,
          bytes,
          swatches.map(([x, y]) => ({ x, y, width: 1, height: 1 })),
        )
      ).map(([r, g, b]) => `rgb(${r}, ${g}, ${b})`);
      expect(drawn).toEqual(colors);
    }, 60_000);

    it("an exported PNG's legend leaves out the groups with nothing on the chart (measured J/token: 4 of 61)", async () => {
      const exportedHeight = async () => {
        const [png] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("button", { name: "Export PNG" }).click(),
        ]);
        // IHDR: the height at bytes 20-23, drawn at pixel ratio 2
        return readFileSync((await png.path())!).readUInt32BE(20) / 2;
      };
      const box = () =>
        page.locator("#chart").evaluate((e) => ({ width: e.clientWidth, height: e.clientHeight }));
      // frontier: four groups have points; trends: fewer have a value at the target on some date
      for (const [view, groups, toggles] of [
        ["frontier", 4, 4],
        ["trends", 1, 1],
      ] as const) {
        await open(`#view=${view}&workload=1024%2F1024&y=jPerToken`);
        const named = [
          ...new Set((await plotted()).filter((s) => s.data.length > 0).map((s) => s.name)),
        ];
        // only three MI355X groups were imported with power, and the own run measured it; the legend on the page
        // toggles the groups drawn (the others are listed apart): it listed all 61 in the trends view
        expect(named.length).toBe(groups);
        expect(await page.locator(".legend-item").count()).toBe(toggles);
        const { width, height } = await box();
        const legend = exportLegend(
          named.map((label) => ({ label, style: FALLBACK_STYLE })),
          width,
          height,
          "",
        );
        // the frontier's note on its flagged point (InferenceX's MI355X ATOM row at 512 has J/token) under the legend
        const [flagged] = await page.locator("#flagged-note").allTextContents();
        expect(flagged === undefined).toBe(view === "trends");
        const footer = exportNote(flagged, width, height + legend.height, "");
        expect(await exportedHeight()).toBe(height + legend.height + footer.height);
      }
    }, 60_000);

    it("frontier, a sparse metric (measured J/token in 4 of 61 groups): status, legend and subtitle are those of the groups drawn", async () => {
      await open(`#workload=1024%2F1024&y=jPerToken`);
      const drawn = (await plotted()).filter((p) => p.id.startsWith("pts:") && p.data.length > 0);
      const points = drawn.reduce((n, p) => n + p.data.length, 0);
      expect(drawn.length).toBe(4);
      // it said "14 points in 61 of 61 groups; 255 points have no J/token ...", and listed 57 groups as "(0)"
      expect(await page.locator("#status").textContent()).toBe(
        `${points} points in 4 of 61 groups; 57 groups have no J/token (measured or reported); 1 more point has no J/token (measured or reported) or interactivity (tok/s/user, median)`,
      );
      // the legend toggles what is drawn; the groups without J/token are listed apart, collapsed
      expect((await page.locator(".legend-item").allTextContents()).sort()).toEqual(
        drawn.map((p) => `${p.name} (${p.data.length})`).sort(),
      );
      expect(await page.locator(".legend-item", { hasText: "(0)" }).count()).toBe(0);
      const noData = page.locator("#no-data");
      expect(await noData.locator("summary").textContent()).toBe(
        "57 groups with no J/token (measured or reported), not drawn",
      );
      expect(await noData.evaluate((e) => (e as HTMLDetailsElement).open)).toBe(false);
      expect(await noData.locator("li").count()).toBe(57);
      expect(await noData.locator("li").first().isVisible()).toBe(false);
      // the subtitle says what the four drawn share (all aggregated), not what all 61 do, and where their points
      // come from (InferenceX's rows and the own run) and when they ran
      expect((await page.evaluate(() => window.__infermark!.title()))?.subtext).toBe(
        "dsr1 · ISL/OSL 1024/1024 · agg · InferenceX, measured · runs 2026-05-20 to 2026-07-01",
      );
      // the axis draws measured (the own run) and reported (InferenceX) energy; a point's tooltip says which it has
      const [x, y, id] = drawn.find((p) => p.name.includes("mi355x"))!.data[0]!;
      const one = await api<{ point: PointResult }>(`api/points/${id}`);
      expect(one.point.energy?.kind).toBe("reported");
      const [px, py] = (await page.evaluate(
        ([a, b]) => window.__infermark!.toPixel(a!, b!),
        [x, y],
      ))!;
      const chart = (await page.locator("#chart").boundingBox())!;
      await page.mouse.move(chart.x + px, chart.y + py);
      await page.locator(".tip").first().waitFor({ timeout: 5_000 });
      expect(await page.locator(".tip th").first().textContent()).toBe("J/token (reported)");
      await page.mouse.move(0, 0);
      await shot("frontier-sparse-metric");
      // opened, the list stays open across a render (a legend toggle)
      await noData.locator("summary").click();
      const n = await page.evaluate(() => Number(document.body.dataset.rendered));
      await page.locator(".legend-item").first().click();
      await rendered(n);
      expect(await page.locator("#no-data").evaluate((e) => (e as HTMLDetailsElement).open)).toBe(
        true,
      );
      expect(await page.locator("#status").textContent()).toMatch(
        /^\d+ points in 3 of 61 groups; 57 groups have no J\/token \(measured or reported\); 1 hidden in the legend/,
      );
      // compare: one group has a value at 40 tok/s/user; its label and the subtitle name it once between them
      await open(`#view=compare&workload=1024%2F1024&y=jPerToken&target=40`);
      const bars = (await plotted())[0]!.data as unknown as { name: string }[];
      // it was "1 of 61 groups have a value", and the label "mi355x sglang fp8 agg" under a subtitle that said
      // "mi355x · sglang · fp8" again
      expect(await page.locator("#status").textContent()).toBe(
        "1 of 61 groups has a value at 40.0 tok/s/user",
      );
      expect(bars.map((b) => b.name)).toEqual(["mi355x sglang fp8 agg"]);
      expect((await page.evaluate(() => window.__infermark!.title()))?.subtext).toBe(
        "dsr1 · ISL/OSL 1024/1024 · InferenceX · run 2026-05-27",
      );
      expect(
        await page
          .locator(".legend-item", { hasText: bars[0]!.name })
          .first()
          .getAttribute("title"),
      ).toBe("dsr1 1024/1024 mi355x sglang fp8 agg");
    }, 60_000);

    it("trends, a sparse metric: status, legend and subtitle are those of the groups with a line", async () => {
      await open(`#view=trends&workload=1024%2F1024&y=jPerToken`);
      const lines = await plotted();
      const title = await page.evaluate(() => window.__infermark!.title());
      const dates = new Set(
        lines.flatMap((l) => (l.data as unknown as { value: [string] }[]).map((d) => d.value[0])),
      );
      // it said "61 groups over 67 dates" and offered all 61 as toggles
      expect(await page.locator("#status").textContent()).toBe(
        `1 of 61 groups has a value at 50.0 tok/s/user, on ${dates.size === 1 ? "1 date only, so no trend can be read yet" : `${dates.size} dates`}; 57 groups have no J/token (measured or reported); 3 groups have no value at 50.0 tok/s/user on any date`,
      );
      expect(lines.map((l) => l.name)).toEqual(["mi355x sglang fp8 agg"]);
      expect(await page.locator(".legend-item").allTextContents()).toEqual([
        "mi355x sglang fp8 agg",
      ]);
      const noData = page.locator("#no-data");
      expect(await noData.locator("summary").textContent()).toBe(
        "60 groups with no value at 50.0 tok/s/user on any date, not drawn",
      );
      expect(await noData.locator("li").count()).toBe(60);
      // the subtitle and the line's label name the group once between them; the table holds the line drawn
      expect(title).toEqual({
        text: "J/token (measured or reported) at 50.0 tok/s/user, by date",
        subtext: "dsr1 · ISL/OSL 1024/1024 · InferenceX",
      });
      expect(await page.locator("#trends-table tbody th").allTextContents()).toEqual([
        "mi355x sglang fp8 agg",
      ]);
      await shot("trends-sparse-metric");
    }, 60_000);

    it("compare: one group says so in the singular", async () => {
      await open(
        `#view=compare&workload=1024%2F1024&hardware=h200&framework=sglang&spec=none&target=40`,
      );
      // it said "1 of 1 groups have a value"
      expect(await page.locator("#status").textContent()).toBe(
        "1 of 1 group has a value at 40.0 tok/s/user",
      );
    }, 60_000);

    it("the status line is the page's one live region, the same element through renders and views", async () => {
      await open(`#workload=1024%2F1024`);
      await page.evaluate(() => {
        const status = document.getElementById("status")!;
        const w = window as unknown as { __status: Element; __removed: number };
        w.__status = status;
        w.__removed = 0;
        // a live region taken out of the page and put back (or replaced) is a new one, and announces nothing
        new MutationObserver((records) => {
          for (const r of records)
            for (const node of r.removedNodes) if (node.contains(status)) w.__removed++;
        }).observe(document.body, { childList: true, subtree: true });
      });
      const same = () =>
        page.evaluate(() => {
          const w = window as unknown as { __status: Element; __removed: number };
          return {
            same: document.getElementById("status") === w.__status && w.__status.isConnected,
            removed: w.__removed,
          };
        });
      const texts: string[] = [];
      for (const hash of [
        "#workload=1024%2F1024&hardware=h200",
        "#view=compare&workload=1024%2F1024&hardware=h200&target=40",
        "#view=trends&workload=1024%2F1024&hardware=h200",
        `#view=run&run=${ownId}`,
        "#workload=1024%2F1024&hardware=h100&precision=fp4",
        "#workload=1024%2F1024&hardware=h200&table=true",
      ]) {
        await open(hash);
        texts.push((await page.locator("#status").textContent())!);
        expect(await same()).toEqual({ same: true, removed: 0 });
      }
      expect(texts[1]).toMatch(/groups have a value at 40\.0 tok\/s\/user$/);
      expect(texts[3]).toMatch(/^24 measured requests/);
      expect(texts[4]).toBe("0 points: the filters exclude every point");
      expect(new Set(texts).size).toBe(5); // the frontier's, as a chart and as a table, is one text
      // no other live region: not the view, which was one and was made anew at each render
      expect(
        await page
          .locator("[aria-live], [role=status], [role=alert], [role=log]")
          .evaluateAll((els) =>
            els.map((e) => [e.id, e.getAttribute("role"), e.getAttribute("aria-live")]),
          ),
      ).toEqual([["status", "status", "polite"]]);
      expect(await page.locator("main").getAttribute("aria-live")).toBeNull();
    }, 60_000);

    it("keyboard: Enter on the chart shows its points as a table, the figures a tooltip gives a mouse", async () => {
      let n = await open(`#workload=1024%2F1024&hardware=h200&framework=sglang`);
      const chart = page.locator("#chart");
      expect(await chart.getAttribute("aria-label")).toMatch(
        /\. Press Enter for its points as a table\.$/,
      );
      const points = (await plotted())
        .filter((p) => p.type === "scatter")
        .flatMap((p) => p.data.map(([x, y]) => `${fmt(x)} ${fmt(y)}`))
        .sort();
      await chart.focus();
      await page.keyboard.press("Enter");
      n = await rendered(n);
      expect((await state()).table).toBe(true);
      // focus on the checked box, which says what happened and takes the table away again
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("table");
      expect(await page.getByLabel("Show as table").isChecked()).toBe(true);
      const rows = page.locator("#frontier-table tbody tr");
      expect(await rows.count()).toBe(
        await count("isl=1024&osl=1024&hardware=h200&framework=sglang&latest=true"),
      );
      const cells = await rows.evaluateAll((trs) =>
        trs.map((tr) => [...tr.children].map((c) => c.textContent ?? "")),
      );
      expect(cells.map((c) => `${c[1]} ${c[2]}`).sort()).toEqual(points);
      expect(new Set(cells.map((c) => c[0]))).toEqual(new Set(["mtp", "no spec decoding"]));
      expect(cells.every((c) => c[5]!.startsWith("run detail"))).toBe(true);
      expect(await page.locator("#frontier-table thead th").allTextContents()).toEqual([
        "group",
        "interactivity (tok/s/user, median)",
        "tput/GPU (tok/s/GPU)",
        "on the frontier",
        "self-consistency",
        "links",
      ]);
      await shot("frontier-table");
      await page.keyboard.press("Space");
      n = await rendered(n);
      expect(await chart.count()).toBe(1);
      expect(await page.locator("#frontier-table").count()).toBe(0);
    }, 60_000);

    it("at 1024 px every axis choice reads whole in the sidebar, with its full name as its title", async () => {
      const shared = page;
      page = await newTab({ width: 1024, height: 768 });
      try {
        await open(`#workload=1024%2F1024&y=tokensPerSecPerMw`);
        for (const id of ["y", "x"]) {
          const select = await page.locator(`#${id}`).evaluate((e) => {
            const s = e as HTMLSelectElement;
            const style = getComputedStyle(s);
            const context = document.createElement("canvas").getContext("2d")!;
            context.font = `${style.fontSize} ${style.fontFamily}`;
            return {
              width: s.clientWidth,
              title: s.title,
              chosen: s.options[s.selectedIndex]!.title,
              options: [...s.options].map((o) => ({
                text: o.text,
                width: context.measureText(o.text).width,
                title: o.title,
              })),
            };
          });
          // the text, the select's padding and its arrow fit ("Tokens/s per MW (provisionec" did not)
          for (const o of select.options)
            expect(o.width, `${o.text} in #${id}`).toBeLessThanOrEqual(select.width - 40);
          for (const o of select.options) expect(o.title.length).toBeGreaterThan(o.text.length);
          expect(select.title).toBe(select.chosen);
        }
        expect(await page.locator("#y").getAttribute("title")).toBe(
          "Tokens/s per MW of all-in power (provisioned)",
        );
        await shot("sidebar-1024");
        // the layout is the 1024 px one: the 260 px sidebar, the chart beside it, nothing wider than the window
        const aside = (await page.locator("aside.controls").boundingBox())!;
        const chart = (await page.locator("#chart").boundingBox())!;
        expect(aside.width).toBe(260);
        expect(chart.x).toBeGreaterThan(aside.x + aside.width);
        expect(chart.width).toBeGreaterThan(650);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          1024,
        );
        // a wider window gives the sidebar more room
        await page.setViewportSize({ width: 1600, height: 900 });
        await expect
          .poll(async () => (await page.locator("aside.controls").boundingBox())!.width)
          .toBe(300);
      } finally {
        const wide = page;
        page = shared;
        await wide.context().close();
      }
    }, 60_000);

    it("compare: a single bar is drawn no wider than 64 px, not across the plot", async () => {
      await open(
        "#view=compare&workload=1024%2F1024&hardware=h200&framework=sglang&spec=mtp&target=40",
      );
      const bars = (await plotted())[0]!.data as unknown as { value: number }[];
      expect(bars).toHaveLength(1);
      const at = (await page.evaluate(
        (v) => window.__infermark!.toPixel(0, v / 2),
        bars[0]!.value,
      ))!;
      const png = await page.locator("#chart").screenshot();
      const box = (await page.locator("#chart").boundingBox())!;
      const [row] = await pngPixels(page, png, [
        { x: 0, y: Math.round(at[1]), width: Math.floor(box.width), height: 1 },
      ]);
      const [r, g, b] = [1, 3, 5].map((i) =>
        Number.parseInt(HARDWARE_COLORS.h200!.slice(i, i + 2), 16),
      );
      // the pixels of the bar's color across its middle: the bar's width
      let width = 0;
      for (let i = 0; i < row!.length; i += 4)
        if (
          Math.abs(row![i]! - r!) < 6 &&
          Math.abs(row![i + 1]! - g!) < 6 &&
          Math.abs(row![i + 2]! - b!) < 6
        )
          width++;
      expect(width).toBeGreaterThan(40);
      expect(width).toBeLessThanOrEqual(64);
    }, 60_000);

    it("filters that match nothing: an empty state names them and clears one to widen the view", async () => {
      let n = await open(`#workload=1024%2F1024&hardware=h100&precision=fp4`);
      expect(await page.locator("#status").textContent()).toBe(
        "0 points: the filters exclude every point",
      );
      expect(await page.locator("#chart").count()).toBe(0);
      expect(await page.locator("#empty p").allTextContents()).toEqual([
        "No point matches these filters.",
        "Together, the filters ISL/OSL (1024/1024), GPU (h100), Precision (fp4) exclude every point. Widen them in the filters panel, or:",
      ]);
      const noGpu = await count("isl=1024&osl=1024&precision=fp4&latest=true");
      const noPrecision = await count("isl=1024&osl=1024&hardware=h100&latest=true");
      const noWorkload = await count("hardware=h100&precision=fp4&latest=true");
      const points = (k: number) => (k === 0 ? "(still no point)" : `(${k} points)`);
      expect(await page.locator("#empty li").allTextContents()).toEqual([
        `Clear ISL/OSL: 1024/1024 ${points(noWorkload)}`,
        `Clear GPU: h100 ${points(noGpu)}`,
        `Clear Precision: fp4 ${points(noPrecision)}`,
        "Clear all filters",
      ]);
      expect(noPrecision).toBeGreaterThan(0);
      await page.getByRole("button", { name: "Clear Precision: fp4" }).click();
      n = await rendered(n);
      expect((await state()).precision).toEqual([]);
      expect(await page.locator("#empty").count()).toBe(0);
      expect(scatterPoints(await plotted())).toBe(noPrecision);
      // the other views say the same
      await open(`#view=compare&workload=1024%2F1024&hardware=h100&precision=fp4`);
      expect(await page.locator("#empty .empty-title").textContent()).toBe(
        "No point matches these filters.",
      );
    }, 60_000);

    it("a view whose groups have nothing to draw says what they lack in the chart's place, without empty axes or idle toggles", async () => {
      /** Opens the link, checks that it draws nothing and lists its groups apart; resolves with what it says. */
      const nothingAt = async (hash: string, apart: string) => {
        await open(hash);
        expect({
          chart: await page.locator("#chart").count(),
          toggles: await page.locator(".legend-item, .legend-all").count(),
          png: await page.locator("#export-png").isDisabled(),
          apart: await page.locator("#no-data summary").textContent(),
        }).toEqual({ chart: 0, toggles: 0, png: true, apart });
        return (await page.locator("#nothing-drawn p").allTextContents()).slice(1);
      };
      // they drew empty axes, and a legend of "Show all" and "Hide all" alone
      // (the InferenceX groups: the own run, on h200 too, has measured J/token)
      expect(
        await nothingAt(
          "#workload=1024%2F1024&y=jPerToken&hardware=h200&source=imported",
          "8 groups with no J/token (measured or reported), not drawn",
        ),
      ).toEqual([
        "The 8 groups the filters keep have no J/token (measured or reported).",
        "Choose another axis, or filters that keep groups with it.",
      ]);
      expect(await page.locator("#table").count()).toBe(0);
      const [said, hint] = await nothingAt(
        "#view=compare&workload=1024%2F1024&target=500&source=imported",
        "60 groups with no value at 500 tok/s/user, not drawn",
      );
      expect(said).toMatch(
        /^The 60 groups the filters keep have no value at 500 tok\/s\/user: their frontiers span [\d.]+–[\d.]+ tok\/s\/user\.$/,
      );
      expect(hint).toBe("Move the target interactivity into that range, or choose other filters.");
      // no ratio to choose; the table, which gives each group's reason, a checkbox away
      expect(await page.locator("#pair-a").count()).toBe(0);
      expect(await page.locator("#table").count()).toBe(1);
      await shot("compare-nothing-drawn");
      expect(
        await nothingAt(
          "#view=trends&workload=1024%2F1024&hardware=h200&framework=sglang&spec=mtp&target=30",
          "1 group with no value at 30.0 tok/s/user on any date, not drawn",
        ),
      ).toEqual([
        // the span its frontier covers (InferenceX's rows of 2026-05-20: 31.77 to 101.57 tok/s/user), as the
        // compare view says it: it said no more than "has no value at 30.0 tok/s/user on any date"
        "The 1 group the filters keep has no value at 30.0 tok/s/user on any date: its frontier spans 31.8–102 tok/s/user.",
        "Move the target interactivity into that range, or choose other filters.",
      ]);
      expect(await page.locator("#trends-table").count()).toBe(0);
      await shot("trends-nothing-drawn");
    }, 60_000);

    it("server gone: a view whose points cannot load says why, keeps tabs and filters, and Retry loads it", async () => {
      // a page of its own: the shared one has loaded the trends' points already
      const shared = page;
      page = await newTab({ width: 1280, height: 860 });
      try {
        let n = await open("#view=frontier&workload=1024%2F1024");
        // the server stops answering (its process is gone): every request for points is refused
        const points = /\/api\/points\?/;
        await page.route(points, (route) => route.abort("connectionrefused"));
        await page.getByRole("button", { name: "Trends" }).click();
        n = await rendered(n);
        const error = [
          "Could not load the points of this view.",
          "The dashboard's server did not answer (Failed to fetch): is `infermark ui` still running? Start it again, then retry.",
        ];
        expect(await page.locator("#load-error p").allTextContents()).toEqual(error);
        expect(await page.locator("#status").textContent()).toBe("The points could not be loaded");
        // the tabs and filters stay, nothing claims to export, and keyboard focus stays on the tab pressed
        expect(await page.locator("aside.controls #y").isVisible()).toBe(true);
        expect(await page.locator("#export-csv").isEnabled()).toBe(false);
        expect(await page.locator("#export-png").isEnabled()).toBe(false);
        expect(await page.evaluate(() => document.activeElement?.id)).toBe("tab-trends");
        // the view loaded before is still a step back, and going forward again tries again (and fails again)
        await page.goBack();
        n = await rendered(n);
        expect((await state()).view).toBe("frontier");
        expect(scatterPoints(await plotted())).toBe(await count("isl=1024&osl=1024&latest=true"));
        await page.goForward();
        n = await rendered(n);
        expect(await page.locator("#load-error p").allTextContents()).toEqual(error);
        // the server is back: Retry loads the points (a failed load is not kept) and draws the view
        await page.unroute(points);
        await page.getByRole("button", { name: "Retry" }).click();
        n = await rendered(n);
        expect(await page.locator("#load-error").count()).toBe(0);
        expect((await state()).view).toBe("trends");
        expect((await plotted()).filter((s) => s.type === "line").length).toBeGreaterThan(0);
        await shot("server-gone-retried");
        // the run detail of a point the server no longer gives: the same, under the list of runs
        const point = new RegExp(`/api/points/${ownId}$`);
        await page.route(point, (route) => route.abort("connectionrefused"));
        n = await open(`#view=run&run=${ownId}`);
        expect(await page.locator("#load-error p").allTextContents()).toEqual(error);
        expect(await page.locator("#run").inputValue()).toBe(ownId);
        await page.unroute(point);
        await page.getByRole("button", { name: "Retry" }).click();
        n = await rendered(n);
        expect(await page.locator("#load-error").count()).toBe(0);
        expect(await page.locator("#run-charts .chart").count()).toBeGreaterThan(0);
      } finally {
        const own = page;
        page = shared;
        await own.context().close();
      }
    }, 60_000);

    it("URL state: ISL/OSL 'all' survives a reload, and Back after a view switch returns to the previous view", async () => {
      let n = await open("#workload=1024%2F1024");
      await page.locator("#workload").selectOption("all");
      n = await rendered(n);
      const all = await count("latest=true");
      expect(scatterPoints(await plotted())).toBe(all);
      expect(await page.evaluate(() => location.hash)).toBe("#workload=all");
      await page.reload();
      n = await rendered(0);
      expect(await page.locator("#workload").inputValue()).toBe("all");
      expect(scatterPoints(await plotted())).toBe(all);

      await page.getByLabel("Y axis", { exact: true }).selectOption("costPerMillionTotal");
      n = await rendered(n);
      await page.getByRole("button", { name: "Compare" }).click();
      n = await rendered(n);
      expect((await state()).view).toBe("compare");
      await page.goBack();
      n = await rendered(n);
      expect(await page.evaluate(() => location.hash)).toBe("#y=costPerMillionTotal&workload=all");
      expect((await state()).view).toBe("frontier");
      expect(await page.getByLabel("Y axis", { exact: true }).inputValue()).toBe(
        "costPerMillionTotal",
      );
      await page.goForward();
      n = await rendered(n);
      expect((await state()).view).toBe("compare");
    }, 60_000);

    it("a custom price or target of 0 is refused and the field shows the value in effect again", async () => {
      await open("#view=compare&y=costPerMillionTotal&tier=custom&price=2.5&target=60");
      await page.locator("#price").fill("0");
      await page.locator("#price").dispatchEvent("change");
      expect(await page.locator("#price").inputValue()).toBe("2.5");
      await page.locator("#target-num").fill("-3");
      await page.locator("#target-num").dispatchEvent("change");
      expect(await page.locator("#target-num").inputValue()).toBe("60");
      expect(await state()).toMatchObject({ price: 2.5, target: 60 });
    }, 60_000);

    it("compare: bars at the target interactivity and the ratio of two selected groups", async () => {
      let n = await open(`#view=compare&workload=1024%2F1024&hardware=b200,h200&target=30`);
      const valued = (
        (await plotted())[0]!.data as unknown as { name: string; value: number }[]
      ).map((b) => ({ label: b.name, v: b.value }));
      // the pickers offer the groups a ratio can be read of, those with a value at the target: the bars', in
      // their order (choosing one of the others only said that it had no value)
      const options = await page
        .getByLabel("A", { exact: true })
        .locator("option")
        .allTextContents();
      expect(options).toEqual(["(none)", ...valued.map((b) => b.label)]);
      expect(
        await page.getByLabel("B", { exact: true }).locator("option").allTextContents(),
      ).toEqual(options);
      expect(valued.every((b) => typeof b.v === "number")).toBe(true);
      expect(valued.length).toBeGreaterThanOrEqual(2);
      // the bars best first: descending throughput
      expect(valued.map((b) => b.v)).toEqual(valued.map((b) => b.v).sort((a, b) => b - a));
      // the legend toggles the bars drawn; the groups without a value are listed apart, as the frontier and trends
      // views list theirs (it offered all of them as toggles, most of which toggled nothing)
      expect(await page.locator(".legend-item").allTextContents()).toEqual(
        valued.map((b) => b.label),
      );
      const noData = page.locator("#no-data");
      const without = await noData.locator("li").allTextContents();
      const drawn = new Set(valued.map((b) => b.label));
      expect(without.length).toBeGreaterThan(0);
      expect(without.filter((l) => drawn.has(l))).toEqual([]);
      // a bar for each group with a value at the target; the others are in the list and the table, not empty
      // slots on the axis (the table, below, has a row for each of the groups counted here)
      const groups = valued.length + without.length;
      expect(await page.locator("#status").textContent()).toBe(
        `${valued.length} of ${groups} groups have a value at 30.0 tok/s/user`,
      );
      expect(await noData.locator("summary").textContent()).toBe(
        `${without.length} groups with no value at 30.0 tok/s/user, not drawn`,
      );
      await page.getByLabel("A", { exact: true }).selectOption({ label: valued[0]!.label });
      n = await rendered(n);
      await page.getByLabel("B", { exact: true }).selectOption({ label: valued[1]!.label });
      n = await rendered(n);
      expect(await page.locator("#ratio").textContent()).toBe(
        `${valued[0]!.label} / ${valued[1]!.label} = ${(valued[0]!.v / valued[1]!.v).toFixed(2)}× tput/GPU (tok/s/GPU) at 30.0 tok/s/user`,
      );
      await shot("compare");
      // clicking a bar makes its group B (and B becomes A): the bar clicked, not the group in its slot of the list
      const last = valued.length - 1;
      const at = await page.evaluate(([k, v]) => window.__infermark!.toPixel(k, v / 2), [
        last,
        valued[last]!.v,
      ] as const);
      const box = await page.locator("#chart").boundingBox();
      await page.mouse.click(box!.x + at![0], box!.y + at![1]);
      n = await rendered(n);
      const chosen = (id: string) =>
        page.locator(`#${id}`).evaluate((e) => {
          const select = e as HTMLSelectElement;
          return select.options[select.selectedIndex]?.text;
        });
      expect([await chosen("pair-a"), await chosen("pair-b")]).toEqual([
        valued[1]!.label,
        valued[last]!.label,
      ]);
      await page.getByLabel("Show as table").check();
      n = await rendered(n);
      expect(await page.locator("#compare-table tbody tr").count()).toBe(groups);
      // the table has a row for every group, with a value or not: the legend toggles each, and lists none apart
      expect(await page.locator(".legend-item").count()).toBe(groups);
      expect(await page.locator("#no-data").count()).toBe(0);
      expect((await state()).table).toBe(true);
      // where lower is better (cost per million tokens), the cheapest bar first
      await open(
        `#view=compare&workload=1024%2F1024&hardware=b200,h200&target=30&y=costPerMillionTotal`,
      );
      const costs = ((await plotted())[0]!.data as unknown as { value: number }[]).map(
        (b) => b.value,
      );
      expect(costs.length).toBeGreaterThanOrEqual(2);
      expect(costs).toEqual([...costs].sort((a, b) => a - b));
      expect(costs[0]).toBeLessThan(costs.at(-1)!);
    }, 60_000);

    it("compare: with every group shown, each value label drawn lies over its own bar, clear of the others", async () => {
      await open(`#view=compare&workload=1024%2F1024&target=50`);
      const { labels, bars, problems } = await valueLabelsClear();
      // the 61 groups' bars are narrower than a value: their labels are drawn upright, each over its bar
      expect(labels).toBeGreaterThan(10);
      expect(bars).toBeGreaterThan(40);
      expect(problems).toEqual([]);
    }, 60_000);

    it("a phone's width (390 px): the filters above the chart, which takes the page's width, and a title broken into lines", async () => {
      // its own page, in a context of its own, so that the resizes below leave the shared page as it was (a renderer
      // that stalled here once, in one CI run of many, left every later test of the shared page waiting)
      const shared = page;
      page = await newTab({ width: 390, height: 844 });
      try {
        for (const view of ["frontier", "compare", "trends"]) {
          await open(`#view=${view}&workload=1024%2F1024`);
          const chart = await page.locator("#chart").boundingBox();
          const aside = await page.locator("aside.controls").boundingBox();
          expect(chart!.width).toBeGreaterThan(330);
          expect(aside!.y + aside!.height).toBeLessThanOrEqual(chart!.y);
          expect(
            await page.evaluate(() => document.documentElement.scrollWidth),
          ).toBeLessThanOrEqual(390);
        }
        // the compare bars' value labels: over their own bars, level or upright where they fit, else left out
        for (const hash of [
          "#view=compare&workload=1024%2F1024&target=50",
          "#view=compare&workload=1024%2F1024&target=50&hardware=b200,h200",
          "#view=compare&workload=1024%2F1024&target=50&hardware=h200",
        ]) {
          await open(hash);
          expect((await valueLabelsClear()).problems, hash).toEqual([]);
        }
        // a few bars at the phone's width: every value, over its bar
        const few = await valueLabelsClear();
        expect(few.labels).toBe(few.bars);
        expect(few.bars).toBeGreaterThan(3);
        // the frontier's title is wider than the phone: it breaks into lines instead of losing both ends
        await open("#view=frontier&workload=1024%2F1024");
        const title = () => page.evaluate(() => window.__infermark!.title()!.text);
        expect((await title()).split("\n")).toEqual([
          "tput/GPU (tok/s/GPU) vs interactivity",
          "(tok/s/user, median)",
        ]);
        // and joins again when the window is wide enough
        await page.setViewportSize({ width: 1280, height: 860 });
        await expect.poll(title).toBe("tput/GPU (tok/s/GPU) vs interactivity (tok/s/user, median)");
        await page.setViewportSize({ width: 390, height: 844 });
        await expect.poll(async () => (await title()).includes("\n")).toBe(true);
        await open(`#view=run&run=${ownId}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          390,
        );
      } finally {
        const phone = page;
        page = shared;
        await phone.context().close();
      }
    }, 60_000);

    it("a phone's width (390 px), light and dark: every chart's title and subtitle keep a band of their own above the plot", async () => {
      const shared = page;
      page = await newTab({ width: 390, height: 844 });
      try {
        const problems: string[] = [];
        for (const theme of ["light", "dark"])
          for (const [name, hash] of [
            ["frontier", "#workload=1024%2F1024"],
            ["compare", "#view=compare&workload=1024%2F1024&target=50&hardware=h200"],
            ["compare-all", "#view=compare&workload=1024%2F1024&target=50&y=costPerMillionTotal"],
            ["trends", "#view=trends&workload=1024%2F1024&hardware=b200&target=30"],
            ["run", `#view=run&run=${ownId}`],
          ] as const) {
            await open(`${hash}&theme=${theme}`);
            if (name === "run") await page.waitForSelector("#run-charts .chart");
            const charts = await page.locator(".chart").count();
            expect(charts, name).toBe(name === "run" ? 7 : 1);
            for (let k = 0; k < charts; k++) {
              const texts = await page.evaluate((i) => window.__infermark!.texts(i), k);
              const band = Math.max(...texts.filter((t) => t.title).map((t) => t.bottom));
              expect(band, `${name} chart ${k}`).toBeGreaterThan(0);
              // the y axis' top tick label stood level with the subtitle's line ("1,000" over it in compare), the
              // run detail's "requests" level with the title
              for (const t of texts)
                if (!t.title && t.top < band + 4)
                  problems.push(
                    `${name} ${theme} chart ${k}: "${t.text}" from ${t.top.toFixed(1)} px, the title's band to ${band.toFixed(1)}`,
                  );
            }
            await page
              .locator(name === "run" ? "#run-charts" : "#chart")
              .screenshot({ path: join(SHOTS, `phone-${name}-${theme}.png`) });
          }
        expect(problems).toEqual([]);
        // a subtitle too wide for the phone breaks between its ` · ` parts, never inside one ("InferenceX," /
        // "measured"): each line is whole parts of the subtitle the chart was given
        await open("#workload=1024%2F1024&hardware=h200&precision=fp8");
        const { subtext } = (await page.evaluate(() => window.__infermark!.title()))!;
        const lines = subtext.split("\n");
        expect(lines.length).toBeGreaterThan(1);
        // the subtitle whole, as the chart's description gives it: every line break stands for a ` · `
        const described = await page
          .locator("[aria-label^='Frontier chart:']")
          .first()
          .getAttribute("aria-label");
        expect(lines.join(" · ")).toMatch(/ · InferenceX, measured · runs /);
        expect(described).toContain(`, ${lines.join(" · ")}. `);
        // the tables keep their text readable: each group's name on one line (squeezed into the screen's width,
        // "dynamo-sglang fp8 disagg" took four), the table scrolling on its own instead
        await open("#view=trends&workload=1024%2F1024&hardware=b200&target=30");
        const names = await textLines("#trends-table tbody th");
        expect(names.length).toBeGreaterThan(3);
        expect(names.filter((n) => n.lines > 1)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          390,
        );
        await page
          .locator("#trends-table")
          .screenshot({ path: join(SHOTS, "phone-trends-table.png") });
        // the run detail's figures break a word only where it is wider than its cell: "0.7000 total (meas" / "ured)"
        await open(`#view=run&run=${ownId}`);
        const cells = await textLines(".run-info table.tip td");
        expect(cells.find((c) => c.text === "0.7000 total (measured)")).toBeDefined();
        expect(cells.filter((c) => c.split.length > 0)).toEqual([]);
        await page.locator(".run-info").screenshot({ path: join(SHOTS, "phone-run-info.png") });
      } finally {
        const phone = page;
        page = shared;
        await phone.context().close();
      }
    }, 90_000);

    it("a phone's width (390 px): the legend folded under its count, the run menu's label whole, a shadow where a table has more columns", async () => {
      // a wide window shows the legend's toggles open
      await open("#workload=1024%2F1024");
      expect(await page.locator("#legend").evaluate((d) => (d as HTMLDetailsElement).open)).toBe(
        true,
      );
      expect(await page.locator(".legend-item").first().isVisible()).toBe(true);
      const shared = page;
      page = await newTab({ width: 390, height: 844 });
      try {
        // 61 toggles stood 1,600 px tall under the chart: on a phone they are folded under a summary that counts them
        for (const view of ["frontier", "compare", "trends"]) {
          await open(`#view=${view}&workload=1024%2F1024`);
          const toggles = await page.locator(".legend-item").count();
          expect(toggles, view).toBeGreaterThan(1);
          expect(await page.locator("#legend-summary").allTextContents(), view).toEqual([
            `Legend (${toggles} groups)`,
          ]);
          expect(await page.locator(".legend-item").first().isVisible(), view).toBe(false);
          expect((await page.locator("#legend").boundingBox())!.height, view).toBeLessThan(40);
        }
        await open("#workload=1024%2F1024");
        await page.locator("#legend-summary").scrollIntoViewIfNeeded();
        await shot("phone-legend");
        // the keyboard opens it, reaches a toggle, Show all and Hide all; a toggle's re-render leaves it open
        await page.locator("#legend-summary").focus();
        const n = Number(await page.evaluate(() => document.body.dataset.rendered));
        await page.keyboard.press("Enter");
        await page.keyboard.press("Tab");
        expect(await page.evaluate(() => document.activeElement?.id)).toBe("legend-0");
        await page.keyboard.press("Space");
        await rendered(n);
        expect(await page.locator("#legend-summary").allTextContents()).toEqual([
          "Legend (61 groups, 1 hidden)",
        ]);
        expect(await page.evaluate(() => document.activeElement?.id)).toBe("legend-0");
        expect(await page.locator("#legend-all").isVisible()).toBe(true);
        expect(await page.locator("#legend-none").isVisible()).toBe(true);

        // the run menu's chosen label (some 60 characters) wraps within the screen instead of being cut off
        await open(`#view=run&run=${ownId}`);
        const menu = page.getByLabel("Point", { exact: true });
        const label = await menu.evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]!.text);
        expect(label.length).toBeGreaterThan(50);
        const drawn = page.getByText(label, { exact: true }).filter({ visible: true });
        expect(await drawn.count()).toBe(1);
        const box = (await drawn.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(390);
        expect(await drawn.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
        await page.screenshot({
          path: join(SHOTS, "phone-run-menu.png"),
          clip: { x: 0, y: 0, width: 390, height: box.y + box.height + 16 },
        });

        // a table wider than the screen: a shadow at each edge with columns beyond it, none at an edge reached
        await open("#view=trends&workload=1024%2F1024&hardware=b200&target=30");
        const table = page.locator("#trends-table");
        const edges = async (name: string) => {
          const png = await table.screenshot({ path: join(SHOTS, `${name}.png`) });
          const { width, height } = (await table.boundingBox())!;
          const column = (x: number) => ({ x, y: 0, width: 1, height: Math.floor(height) });
          const [left, right] = await pngPixels(page, png, [
            column(1),
            column(Math.floor(width) - 2),
          ]);
          // the share of a column's pixels darker than the white page (a row's border line is some 2%)
          const shaded = (px: number[]) => {
            let dark = 0;
            for (let i = 0; i < px.length; i += 4) if (px[i]! < 235) dark++;
            return dark / (px.length / 4);
          };
          return { left: shaded(left!), right: shaded(right!) };
        };
        expect(await table.evaluate((t) => t.scrollWidth > t.clientWidth)).toBe(true);
        const start = await edges("phone-table-scroll-start");
        expect(start.left).toBeLessThan(0.1);
        expect(start.right).toBeGreaterThan(0.5);
        await table.evaluate((t) => {
          t.scrollLeft = t.scrollWidth;
        });
        const end = await edges("phone-table-scroll-end");
        expect(end.left).toBeGreaterThan(0.5);
        expect(end.right).toBeLessThan(0.1);
      } finally {
        const phone = page;
        page = shared;
        await phone.context().close();
      }
    }, 90_000);

    it("every chart's subtitle says what its groups share, which the short labels leave out, and their source and dates", async () => {
      const title = () => page.evaluate(() => window.__infermark!.title());
      await open(`#view=compare&workload=1024%2F1024&hardware=h200&framework=sglang&target=40`);
      expect(await title()).toEqual({
        text: "tput/GPU (tok/s/GPU) at 40.0 tok/s/user",
        subtext:
          "dsr1 · ISL/OSL 1024/1024 · h200 · sglang · fp8 · agg · InferenceX · runs 2026-05-17 to 2026-05-20",
      });
      // in the bars' order: without spec decoding, this pair's higher throughput at 40 tok/s/user, first
      expect(await page.locator(".legend-item").allTextContents()).toEqual([
        "no spec decoding",
        "mtp",
      ]);
      await open(`#workload=1024%2F1024&hardware=h200&framework=sglang`);
      expect((await title())?.subtext).toBe(
        "dsr1 · ISL/OSL 1024/1024 · h200 · sglang · fp8 · agg · InferenceX · runs 2026-05-17 to 2026-05-20",
      );
      await open(`#view=trends&workload=8192%2F1024&hardware=b200&precision=fp4&source=imported`);
      // the trends chart's dates are its axis: the subtitle names the source alone
      expect((await title())?.subtext).toBe("dsr1 · ISL/OSL 8192/1024 · b200 · fp4 · InferenceX");
    }, 60_000);

    it("trends: the value at the target over dates for the imported history", async () => {
      await open(`#view=trends&workload=1024%2F1024&hardware=b200&target=30&source=imported`);
      const lines = await plotted();
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((l) => l.type === "line")).toBe(true);
      // each item is a date's value, with the software that date's frontier ran
      type TrendItem = { value: [string, number]; software: string[] };
      const items = (l: (typeof lines)[number]) => l.data as unknown as TrendItem[];
      // dates are ascending along each line, and some group has a value on several dates
      for (const l of lines) {
        const dates = items(l).map((d) => d.value[0]);
        expect(dates.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
        expect(dates).toEqual([...dates].sort());
      }
      expect(Math.max(...lines.map((l) => l.data.length))).toBeGreaterThan(1);
      expect(await page.locator("#trends-table tbody tr").count()).toBe(lines.length);
      // the software column says what is known: it read "– → 0.8.1.post2" where the first date's rows record none
      const software = await page
        .locator("#trends-table tbody tr td:nth-child(4)")
        .allTextContents();
      expect(software.filter((t) => t.includes("–"))).toEqual([]);
      expect(software).toContain("0.8.1.post2 (first date: not recorded)");
      // the latest InferenceX rows carry their image: the tooltip of such a date names its tag
      const line = lines.find((l) => (items(l).at(-1)?.software.length ?? 0) > 0)!;
      const last = items(line).at(-1)!;
      expect(last.software.every((t) => !t.includes("/"))).toBe(true);
      const [px, py] = (await page.evaluate(
        ([d, v]) => window.__infermark!.toPixel(d as unknown as number, v!),
        last.value,
      ))!;
      const box = (await page.locator("#chart").boundingBox())!;
      await page.mouse.move(box.x + px, box.y + py);
      await expect.poll(() => page.locator("#chart").textContent()).toContain(`${last.value[0]}: `);
      expect(await page.locator("#chart").textContent()).toContain(last.software.join(", "));
      await shot("trends");
      // scrolled down to the table, the filters are still in view beside it
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const aside = (await page.locator("aside.controls").boundingBox())!;
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      expect(aside.y).toBe(0);
      expect(aside.height).toBeGreaterThan(300);
      await page.evaluate(() => window.scrollTo(0, 0));
    }, 60_000);

    it("trends: the date axis names dates, never hours; one date reads as that date, and the status says no trend can be read yet", async () => {
      const xLabels = () => page.evaluate(() => window.__infermark!.xLabels());
      const dateLabel = /^(\d{4}|[A-Z][a-z]{2}|[A-Z][a-z]{2} \d{1,2})$/;
      // the whole history, and one group on two dates two days apart (it ticked 12:00 between "19" and "21")
      for (const hash of [
        "#view=trends&workload=1024%2F1024",
        "#view=trends&workload=1024%2F1024&hardware=gb200&framework=dynamo-sglang&precision=fp4&target=30",
      ]) {
        await open(hash);
        const labels = await xLabels();
        expect(labels.length).toBeGreaterThan(1);
        expect(labels.filter((l) => !dateLabel.test(l))).toEqual([]);
      }
      expect(await xLabels()).toContain("Dec 20");
      // the MI325X MTP group was measured on one day only: its one point stands over that day
      await open("#view=trends&workload=1024%2F1024&hardware=mi325x&spec=mtp&target=30");
      const lines = await plotted();
      expect(
        lines.map((l) => (l.data as unknown as { value: [string] }[]).map((d) => d.value[0])),
      ).toEqual([["2026-05-18"]]);
      // it read 17, 06:00, 12:00, 18:00, 18, 06:00... 19: three days and the hours between, for one date
      expect(await xLabels()).toEqual(["2026-05-18"]);
      expect(await page.locator("#status").textContent()).toBe(
        "1 of 1 group has a value at 30.0 tok/s/user, on 1 date only, so no trend can be read yet",
      );
      await shot("trends-one-date");
    }, 60_000);

    it("run detail: distributions, throughput, concurrency, errors and power of an own run", async () => {
      await open(`#view=run&run=${ownId}`);
      await page.waitForSelector("#run-charts .chart");
      expect(await page.locator("#status").textContent()).toMatch(
        /^24 measured requests, 23 completed/,
      );
      expect(await page.locator("#run-charts .chart").count()).toBe(7);
      expect(await page.locator("#run-charts .chart").nth(5).getAttribute("aria-label")).toBe(
        "Errors by category",
      );
      // the view has the page's width (the filters are hidden here): it was held in their 260 px column
      const widths = await page.evaluate(() => [
        document.querySelector("#view")!.getBoundingClientRect().width,
        document.documentElement.clientWidth,
      ]);
      expect(widths[0]).toBeGreaterThan(widths[1]! * 0.9);
      // the server's metrics over the level, collapsed until asked for, the derived ones first
      const metrics = page.locator(".server-metrics");
      expect(await metrics.locator("tbody tr").first().isVisible()).toBe(false);
      await metrics.locator("summary").click();
      expect(await metrics.locator("tbody th").allTextContents()).toEqual([
        "derived:prefix_cache_hit_rate",
        "vllm:num_preemptions_total",
        "vllm:prompt_tokens_total",
      ]);
      expect(await metrics.locator("tbody tr").nth(2).locator("td").allTextContents()).toEqual([
        "1,000",
        "25,576",
        "24,576",
      ]);
      await shot("run-detail");
    }, 60_000);

    it("run detail of a point without request records: no failing request, no console error, and the view says so", async () => {
      const imported = (
        await api<{ points: { id: string }[] }>("api/points?source=imported&hardware=h200")
      ).points[0]!.id;
      const problems: string[] = [];
      const onConsole = (m: ConsoleMessage) => {
        if (m.type() === "error") problems.push(`console: ${m.text()}`);
      };
      const onResponse = (r: Response) => {
        if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
      };
      page.on("console", onConsole);
      page.on("response", onResponse);
      try {
        await open(`#view=run&run=${encodeURIComponent(imported)}`);
        await page.locator("#status").waitFor();
        expect(await page.locator("#status").textContent()).toBe(
          "No request records were stored for this point, so there are no distributions to show (imported points have none; a run ingested with its request records has them, and a report embeds them with --requests).",
        );
        expect(await page.locator("#run-charts .chart").count()).toBe(0);
        // the point's configuration is shown all the same
        expect(await page.locator(".run-info").textContent()).toContain("h200");
        // the own run with records still draws its charts, in the same page
        await open(`#view=run&run=${ownId}`);
        await page.waitForSelector("#run-charts .chart");
      } finally {
        page.off("console", onConsole);
        page.off("response", onResponse);
      }
      expect(problems).toEqual([]);
    }, 60_000);

    it("run detail of a point with more records than the server sends: the view says why", async () => {
      // the 413 the API gives such a point (its size check is tested against a real store in ui-server.test.ts);
      // a level of 8k-token streams at high concurrency stores GBs of records
      const error = `point ${ownId} has 10240 request records, 3400 MiB of JSON, more than the run detail reads (256 MiB)`;
      await page.route(`**/api/points/${encodeURIComponent(ownId)}/requests`, (route) =>
        route.fulfill({
          status: 413,
          contentType: "application/json",
          body: JSON.stringify({ error }),
        }),
      );
      try {
        // from another view: the test before ended on this run's view, and the same link would draw nothing anew
        await open("#view=frontier");
        await open(`#view=run&run=${ownId}`);
        await page.locator("#status").waitFor();
        expect(await page.locator("#status").textContent()).toContain(
          `The request records of this point could not be shown: `,
        );
        expect(await page.locator("#status").textContent()).toContain(`413 ${error}`);
        expect(await page.locator("#run-charts .chart").count()).toBe(0);
        expect(await page.locator(".run-info").textContent()).toContain("tput/GPU");
      } finally {
        await page.unroute(`**/api/points/${encodeURIComponent(ownId)}/requests`);
      }
    }, 60_000);

    it("a point's run detail link keeps the view's settings: the tabs lead back to the view as it was", async () => {
      const view =
        "#workload=8192%2F1024&hardware=h200&y=costPerMillionTotal&tier=neocloud&source=imported";
      await open(view);
      const before = (await state()) as ViewState;
      const [x, y] = (await plotted()).find((q) => q.type === "scatter")!.data[0]!;
      const [px, py] = (await page.evaluate(
        ([a, b]) => window.__infermark!.toPixel(a!, b!),
        [x, y],
      ))!;
      const box = (await page.locator("#chart").boundingBox())!;
      await page.mouse.move(box.x + px, box.y + py);
      await page.locator(".tip").first().waitFor({ timeout: 5_000 });
      const href = (await page.locator(".tip-links a").first().getAttribute("href"))!;
      await page.mouse.move(0, 0);
      // what a click on the link does: the run detail of the point, then the Frontier tab
      await open(href);
      expect((await state()).view).toBe("run");
      let n = await page.evaluate(() => Number(document.body.dataset.rendered ?? 0));
      await page.getByRole("button", { name: "Frontier" }).click();
      n = await rendered(n);
      const after = (await state()) as ViewState;
      expect({ ...after, run: "" }).toEqual({ ...before, run: "" });
      expect(decodeState(href)).toEqual({ ...before, view: "run", run: after.run });
      // choosing another point in the run detail keeps them too
      await open(href);
      const other = await page
        .locator("#run option")
        .evaluateAll((os) =>
          os.map((o) => (o as HTMLOptionElement).value).find((v) => v && v !== ""),
        );
      await page.locator("#run").selectOption(other!);
      await expect.poll(async () => (await state()).run).toBe(other);
      expect({ ...(await state()), run: "" }).toEqual({ ...before, view: "run", run: "" });
    }, 60_000);

    it("keyboard: the compare view's controls and an empty state's buttons keep focus where Tab goes on", async () => {
      let n = await open("#view=compare&workload=1024%2F1024&hardware=h200&target=40");
      const active = () => page.evaluate(() => document.activeElement?.id);
      await page.locator("#legend-1").focus();
      await page.keyboard.press("Space");
      n = await rendered(n);
      expect(await active()).toBe("legend-1");
      // the status says a group is hidden rather than counting the shown ones alone
      expect(await page.locator("#status").textContent()).toMatch(
        /groups have a value at 40\.0 tok\/s\/user \(1 more hidden in the legend\)$/,
      );
      await page.keyboard.press("Space");
      n = await rendered(n);
      await page.locator("#pair-a").focus();
      await page.keyboard.press("ArrowDown");
      n = await rendered(n);
      expect(await active()).toBe("pair-a");
      await page.locator("#table").focus();
      await page.keyboard.press("Space");
      n = await rendered(n);
      expect(await active()).toBe("table");
      expect((await state()).table).toBe(true);
      await page.keyboard.press("Space");
      n = await rendered(n);
      // a "Clear" button of the empty state is gone once pressed: focus goes to the view, not the page's top
      n = await open("#workload=1024%2F1024&hardware=h100&precision=fp4");
      await page.getByRole("button", { name: "Clear Precision: fp4" }).focus();
      await page.keyboard.press("Enter");
      n = await rendered(n);
      expect(await active()).toBe("view");
      // then Tab goes to the view's first control: the table the chart's figures are in, then the chart
      await page.keyboard.press("Tab");
      expect(await active()).toBe("table");
      await page.keyboard.press("Tab");
      expect(await active()).toBe("chart");
    }, 60_000);

    it("Export CSV and Export PNG are disabled where the view has nothing to export", async () => {
      const enabled = async () => ({
        csv: await page.locator("#export-csv").isEnabled(),
        png: await page.locator("#export-png").isEnabled(),
      });
      await open("#view=run");
      expect(await enabled()).toEqual({ csv: false, png: false });
      await open("#view=compare&workload=1024%2F1024&hardware=h200&table=true");
      expect(await enabled()).toEqual({ csv: true, png: false });
      await open("#view=compare&workload=1024%2F1024&hardware=h200");
      expect(await enabled()).toEqual({ csv: true, png: true });
      await open("#workload=1024%2F1024&hardware=h100&precision=fp4");
      expect(await enabled()).toEqual({ csv: false, png: false });
      await open(`#view=run&run=${ownId}`);
      await page.waitForSelector("#run-charts .chart");
      expect(await enabled()).toEqual({ csv: true, png: true });
    }, 60_000);

    it("a link's values the store lacks show in their controls, and a day that is none opens the dashboard", async () => {
      // a new page per link: the links below would otherwise be same-document changes to the one before
      const shared = page;
      page = await newTab({ width: 1280, height: 860 });
      try {
        const fresh = async (hash: string) => {
          await page.goto(`${ui.url}${hash}`);
          await rendered(0);
        };
        // a link cut short: the API refuses dateTo=2026-02-3, which left the page with an error alone
        await fresh("#asOf=2026-02-3&workload=1024%2F1024");
        expect((await state()).asOf).toBe("");
        expect(scatterPoints(await plotted())).toBe(await count("isl=1024&osl=1024&latest=true"));
        // a day no point has, an ISL/OSL and a GPU the store lacks: the controls say so (not "latest", "all")
        await page.reload();
        await fresh("#asOf=2020-01-01&workload=9999%2F1&hardware=h200,gb999");
        expect(await page.locator("#asof").inputValue()).toBe("2020-01-01");
        expect(await page.locator("#workload").inputValue()).toBe("9999/1");
        const gb999 = page.locator("#f-hardware label", { hasText: "gb999" });
        expect(await page.locator(`#${await gb999.getAttribute("for")}`).isChecked()).toBe(true);
        // and can be cleared there
        const n = await page.evaluate(() => Number(document.body.dataset.rendered ?? 0));
        await gb999.click();
        await rendered(n);
        expect((await state()).hardware).toEqual(["h200"]);
      } finally {
        const tab = page;
        page = shared;
        await tab.context().close();
      }
    }, 60_000);

    it("report: the self-contained HTML file opens from disk and plots the same points, offline", async () => {
      const file = join(dir, "report.html");
      await runCli(["report", join(dir, "e2e.db"), "-o", file, "--hardware", "b200,h200"]);
      const offline = await browser.newContext({ offline: true });
      const tab = await offline.newPage();
      const requests: string[] = [];
      tab.on("request", (r) => {
        if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url());
      });
      await tab.goto(`file://${file}#workload=1024%2F1024`);
      await tab.waitForFunction(() => Number(document.body.dataset.rendered ?? 0) > 0, undefined, {
        timeout: 20_000,
      });
      const n = await tab.evaluate(() =>
        window
          .__infermark!.plotted()
          .filter((s) => s.type === "scatter")
          .reduce((k, s) => k + s.data.length, 0),
      );
      expect(n).toBe(await count("isl=1024&osl=1024&hardware=b200,h200&latest=true"));
      // the own run has records in the store, but this report was written without --requests: it says so
      await tab.goto(`file://${file}#view=run&run=${ownId}`);
      await expect
        .poll(() => tab.locator("#status").textContent())
        .toBe(
          "This report embeds no request records, so there are no distributions to show (infermark report --requests embeds those stored with its points).",
        );
      expect(requests).toEqual([]);
      await offline.close();
    }, 90_000);

    it("frontier: a point whose throughput contradicts Little's law is marked, says why, and is counted in the notes", async () => {
      // InferenceX's MI355X ATOM FP8 MTP 1k/1k row at 512 of 2026-06-02: 50.5 tok/s/GPU, ~0.02x Little's law
      const query = "isl=1024&osl=1024&hardware=mi355x&framework=atom&precision=fp8&latest=true";
      const { points } = await api<{ points: { id: string; point: PointResult }[] }>(
        `api/points?${query}`,
      );
      const atom = points.find(
        (i) =>
          i.point.config.specDecoding.method === "mtp" && i.point.config.load.concurrency === 512,
      )!;
      await open("#workload=1024%2F1024&hardware=mi355x&framework=atom&precision=fp8");
      const p = await plotted();
      // drawn where its published figures put it, in its group's scatter, and a cross over it
      const published: [number, number, string] = [
        atom.point.metrics.intvty!.median!,
        atom.point.metrics.tputPerGpu!,
        atom.id,
      ];
      const own = p.filter((s) => s.id.startsWith("pts:")).flatMap((s) => s.data);
      expect(own.filter((d) => d[2] === atom.id)).toEqual([published]);
      const crosses = p.filter((s) => s.id.startsWith("flagged:"));
      expect(crosses.map((s) => [s.type, s.color, s.data])).toEqual([
        ["scatter", "#B00020", [published]],
      ]);
      expect(crosses[0]!.symbol).toMatch(/^path:\/\/M/);
      // the notes count it; it is off its group's frontier (the points at 64 and 32 beat it)
      expect(await page.locator("#flagged-note").textContent()).toBe(
        `Self-consistency: 1 of ${own.length} points of the shown groups (0 on a frontier) reports an output throughput more than 4x from Little's law (docs/metrics.md), marked ×; figures and frontiers as published.`,
      );
      // its tooltip, from the cross: the check's line next to its figures (the slim point: median E2EL)
      const [px, py] = (await page.evaluate(
        ([a, b]) => window.__infermark!.toPixel(a!, b!),
        [published[0], published[1]],
      ))!;
      const box = (await page.locator("#chart").boundingBox())!;
      await page.mouse.move(box.x + px, box.y + py);
      const row = page.locator(".tip tr.flagged").first();
      await row.waitFor({ timeout: 5_000 });
      expect(await row.locator("th").textContent()).toBe(
        "× output throughput more than 4x from Little's law",
      );
      expect(await row.locator("td").textContent()).toBe(
        `reports 202 output tok/s (25.3 per GPU x 8 decode GPUs), Little's law gives 9430 (concurrency 512 x 1024 nominal output tokens / mean E2EL 55.6 s): 0.021x (docs/metrics.md, "Self-consistency"); its figures are shown as published`,
      );
      await shot("frontier-flagged");
      await page.mouse.move(0, 0);
      // as a table: its row says so too
      await open("#workload=1024%2F1024&hardware=mi355x&framework=atom&precision=fp8&table=true");
      expect(await page.locator("#frontier-table td.flagged").allTextContents()).toEqual([
        expect.stringMatching(/^× reports 202 output tok\/s .*: 0\.021x$/),
      ]);
      // its run detail, from the full point (mean E2EL), above the figures
      await open(`#view=run&run=${atom.id}`);
      expect(await page.locator("#flagged-point").textContent()).toBe(
        `× Output throughput more than 4x from Little's law: this point reports 202 output tok/s (25.3 per GPU x 8 decode GPUs), Little's law gives 9430 (concurrency 512 x 1024 nominal output tokens / mean E2EL 55.6 s): 0.021x (docs/metrics.md, "Self-consistency"); its figures are shown as published.`,
      );
      // a consistent point's detail and the groups without a flagged point say nothing
      const other = points.find((i) => i.id !== atom.id)!;
      await open(`#view=run&run=${other.id}`);
      expect(await page.locator("#flagged-point").count()).toBe(0);
      await open("#workload=1024%2F1024&hardware=b200");
      expect(await page.locator("#flagged-note").count()).toBe(0);
      expect((await plotted()).some((s) => s.id.startsWith("flagged:"))).toBe(false);
    }, 60_000);

    it("dark theme, reachable from the tooltip's run link target, and no request left the machine nor broke the CSP", async () => {
      await open(`#theme=dark&workload=1024%2F1024&source=measured`);
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
      expect(await page.getByRole("button", { name: "Switch to light theme" }).count()).toBe(1);
      const p = await plotted();
      expect(p.find((s) => s.type === "scatter")!.data.map((d) => d[2])).toEqual([ownId]);
      await shot("frontier-dark");
      expect(external).toEqual([]);
    }, 60_000);

    // last: it stores a point of another workload kind, which the tests above do not expect
    it("workload kind: no control while every point is random; once a session run is stored, one that filters to it", async () => {
      await open("#workload=1024%2F1024&source=measured");
      expect(await page.locator("#f-kind").count()).toBe(0);
      const session = ownRun().point;
      session.config.workload = { kind: "session", isl: 1024, osl: 1024, turns: 4 };
      const res = await fetch(new URL("api/points", ui.url), {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ points: [session] }),
      });
      expect(res.status).toBe(200);
      const sessionId = ((await res.json()) as { ids: string[] }).ids[0]!;
      // a new page: its render count starts again
      await page.reload();
      await rendered(0);
      const ids = async () =>
        (await plotted())
          .filter((s) => s.type === "scatter")
          .flatMap((s) => s.data.map((d) => d[2]))
          .sort();
      // the same ISL/OSL, GPU and framework: two groups, not one
      expect(await ids()).toEqual([ownId, sessionId].sort());
      expect(await page.locator("#f-kind label").allTextContents()).toEqual([
        "random",
        "session x4",
      ]);
      const before = await page.evaluate(() => Number(document.body.dataset.rendered ?? 0));
      await page.locator("#f-kind label", { hasText: "session x4" }).click();
      await rendered(before);
      expect(await ids()).toEqual([sessionId]);
      expect((await state()).kind).toEqual(["session x4"]);
    }, 60_000);
  },
);
