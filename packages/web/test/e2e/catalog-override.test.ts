import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RTX6000 } from "../../../core/test/fixtures/rtx6000-override.js";
import type { CatalogFigures } from "../../src/app/data/catalog-figures.js";
import { FALLBACK_STYLE } from "../../src/app/logic/group-styles.js";
import { exportLegend } from "../../src/app/ui/export-legend.js";
import { exportNote } from "../../src/app/ui/export-note.js";
import { fmt } from "../../src/app/ui/format.js";
import {
  browserTestsBlocker,
  launchChromium,
  pngPixels,
  REPO,
  runCli,
  startUi,
  type UiProcess,
} from "../helpers/browser.js";
import { makeItem } from "../helpers/make-point.js";
import { RTX6000_FIGURES } from "../helpers/rtx6000-figures.js";

const blocker = browserTestsBlocker();
const SHOTS = join(REPO, "test-results", "dashboard");

const CONTRACT = { source: "e2e contract", date: "2026-10" };
/** A new GPU (docs/catalog.md's RTX PRO 6000) and our own neocloud price for h200, both cited. */
const OVERRIDE = {
  gpus: {
    rtx6000: { ...RTX6000, source: CONTRACT },
    h200: { price: { neocloud: 2.5 }, source: CONTRACT },
  },
};

/** A measured point on one GPU kind at one concurrency (DeepSeek-R1 1k/1k, sglang fp8 on 8 GPUs). */
const point = (hardware: string, concurrency: number, intvty: number, tput: number) =>
  makeItem({ id: "", hardware, source: "measured", date: "2026-10-02", concurrency, intvty, tput })
    .point;

const POINTS = [
  point("rtx6000", 4, 40, 500),
  point("rtx6000", 16, 20, 1500),
  point("h200", 8, 30, 900),
];
/** $/M total tokens: $/GPU-h * 1e6 / (tok/s/GPU * 3600) */
const costOf = (usdPerGpuHour: number, tputPerGpu: number) =>
  (usdPerGpuHour * 1e6) / (tputPerGpu * 3600);

type Plotted = { name: string; id: string; type: string; data: [number, number, string][] }[];
type CostJson = { rows: { group: string; x: number; values: { costPerMillionTotal: number } }[] };

describe.skipIf(blocker)(
  "cost and energy figures from a catalog override (`infermark ui --catalog`, `report --catalog`) in chromium",
  () => {
    let dir: string;
    let db: string;
    let override: string;
    let ui: UiProcess;
    let browser: Browser;

    /** `infermark cost --catalog` on the same store, as JSON. */
    const cliCost = async (...args: string[]) =>
      JSON.parse(
        await runCli([
          "cost",
          "--db",
          db,
          "--catalog",
          override,
          "--tier",
          "neocloud",
          "--json",
          ...args,
        ]),
      ) as CostJson;
    const rendered = (page: Page) =>
      page.waitForFunction(() => Number(document.body.dataset.rendered ?? 0) > 0, undefined, {
        timeout: 20_000,
      });
    // a configuration's series (`pts:dsr1|...|h200|...`), or its GPU's best (`pts:best|...|h200`): a link without a
    // filter opens the best per GPU, which draws each GPU's envelope (here each GPU's one configuration's frontier)
    const scatter = (p: Plotted, gpu: string) =>
      p
        .filter(
          (s) => s.type === "scatter" && (s.id.includes(`|${gpu}|`) || s.id.endsWith(`|${gpu}`)),
        )
        .flatMap((s) => s.data)
        .sort((a, b) => a[0] - b[0]);

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "infermark-catalog-e2e-"));
      db = join(dir, "catalog.db");
      override = join(dir, "override.json");
      writeFileSync(override, JSON.stringify(OVERRIDE));
      const points = join(dir, "points.json");
      writeFileSync(points, JSON.stringify(POINTS));
      await runCli(["ingest", points, "--db", db]);
      ui = await startUi(db, {}, ["--catalog", override]);
      browser = await launchChromium();
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await ui?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("GET /api/catalog answers the override's figures, cited with its source and date and the file's name", async () => {
      const res = await fetch(new URL("api/catalog", ui.url));
      expect(res.status).toBe(200);
      const figures = (await res.json()) as CatalogFigures;
      expect(figures.override).toEqual({ file: "override.json" });
      expect(figures.gpus.rtx6000).toEqual({
        ...RTX6000_FIGURES,
        sources: { price: CONTRACT, power: CONTRACT },
      });
      expect(figures.gpus.h200!.price).toEqual({ hyperscaler: 1.41, neocloud: 2.5, rental: 1.6 });
      expect(figures.gpus.h200!.sources.price).toEqual(CONTRACT);
    });

    it("the frontier's cost per million tokens of the declared GPU is `infermark cost --catalog`'s, and the note cites the override", async () => {
      const page = await browser.newPage();
      await page.goto(`${ui.url}#y=costPerMillionTotal&tier=neocloud`);
      await rendered(page);
      const plotted = (await page.evaluate(() => window.__infermark!.plotted())) as Plotted;
      const rtx = scatter(plotted, "rtx6000");
      const cli = (await cliCost("--hardware", "rtx6000")).rows.sort((a, b) => a.x - b.x);
      expect(rtx.map(([x, y]) => [x, y])).toEqual(
        cli.map((r) => [r.x, r.values.costPerMillionTotal]),
      );
      expect(rtx.map(([, y]) => y)).toEqual([costOf(1.2, 1500), costOf(1.2, 500)]);
      expect(scatter(plotted, "h200").map(([, y]) => y)).toEqual([costOf(2.5, 900)]);
      expect(await page.locator("#figures-source").textContent()).toBe(
        "GPU prices, neocloud tier ($/GPU-h): h200 2.5, rtx6000 1.2 from e2e contract (2026-10), catalog override override.json",
      );
      await page.close();
    }, 60_000);

    it("the exported CSV and PNG carry the data-source note: the CSV as its last line, the image under the legend", async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      await page.goto(`${ui.url}#y=costPerMillionTotal&tier=neocloud`);
      await rendered(page);
      const note = (await page.locator("#figures-source").textContent())!;
      expect(note).toContain("catalog override override.json");
      const download = async (button: string) => {
        const [file] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("button", { name: button }).click(),
        ]);
        return readFileSync((await file.path())!);
      };
      // CSV: the header first as before, then the rows, an empty line and a row of '#' and the note
      const csv = (await download("Export CSV")).toString("utf8").split("\r\n");
      expect(csv[0]).toBe("group,point_id,intvty,costPerMillionTotal,on_frontier,self_consistency");
      expect(csv.slice(-3)).toEqual(["", `#,"${note}"`, ""]);
      expect(csv).toHaveLength(1 + POINTS.length + 3);
      // PNG: the chart, its legend, then the note; its rows hold the note's text
      const box = await page
        .locator("#chart")
        .evaluate((e) => ({ width: e.clientWidth, height: e.clientHeight }));
      const names = (await page.evaluate(() => window.__infermark!.plotted()))
        .filter((s) => s.type === "line")
        .map((s) => ({ label: s.name, style: FALLBACK_STYLE }));
      const legend = exportLegend(names, box.width, box.height, "");
      const footer = exportNote(note, box.width, box.height + legend.height, "");
      expect(footer.height).toBeGreaterThan(0);
      const png = await download("Export PNG");
      mkdirSync(SHOTS, { recursive: true });
      writeFileSync(join(SHOTS, "export-cost-note.png"), png);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([
        box.width * 2,
        (box.height + legend.height + footer.height) * 2,
      ]);
      const top = (box.height + legend.height) * 2;
      const [rows] = await pngPixels(page, png, [
        { x: 0, y: top, width: box.width * 2, height: footer.height * 2 },
      ]);
      let inked = 0;
      for (let i = 0; i < rows!.length; i += 4) if (rows![i]! < 160) inked++;
      expect(inked).toBeGreaterThan(200);
      // the compare view's CSV ends with the same note
      await page.goto(`${ui.url}#view=compare&target=30&y=costPerMillionTotal&tier=neocloud`);
      await page.waitForFunction(() => window.__infermark!.state().view === "compare");
      await page.locator("#figures-source").waitFor();
      const compare = (await download("Export CSV")).toString("utf8").split("\r\n");
      expect(compare[0]).toBe("group,target_intvty,costPerMillionTotal,reason");
      expect(compare.slice(-3)).toEqual(["", `#,"${note}"`, ""]);
      await page.close();
    }, 60_000);

    it("the compare table's value at a target is `infermark cost --at`'s, and provisioned energy uses the override's power", async () => {
      const page = await browser.newPage();
      await page.goto(
        `${ui.url}#view=compare&table=true&target=30&y=costPerMillionTotal&tier=neocloud`,
      );
      await rendered(page);
      const cell = await page
        .locator("#compare-table tbody tr", { hasText: "rtx6000" })
        .locator("td.num")
        .textContent();
      const [atTarget] = (await cliCost("--hardware", "rtx6000", "--at", "30")).rows;
      // two frontier points, halfway between them on x: the throughput there is halfway, 1000 tok/s/GPU, and the cost
      // what it costs (cost is read from the throughput at a target; it was halfway between the two costs)
      expect(atTarget!.values.costPerMillionTotal).toBeCloseTo(costOf(1.2, 1000), 12);
      expect(cell).toBe(fmt(atTarget!.values.costPerMillionTotal));
      await page.goto(`${ui.url}#y=provisionedJPerToken`);
      await page.waitForFunction(() =>
        document.querySelector("#figures-source")?.textContent?.startsWith("All-in"),
      );
      const plotted = (await page.evaluate(() => window.__infermark!.plotted())) as Plotted;
      // 1.0 kW all-in * 1000 / tok/s/GPU
      expect(scatter(plotted, "rtx6000").map(([, y]) => y)).toEqual([1000 / 1500, 1000 / 500]);
      await page.close();
    }, 60_000);

    it("report --catalog (and INFERMARK_CATALOG) embeds the override's figures; the page opened offline shows its cost", async () => {
      const viaFlag = join(dir, "flag.html");
      const viaEnv = join(dir, "env.html");
      await runCli(["report", db, "-o", viaFlag, "--catalog", override]);
      await runCli(["report", db, "-o", viaEnv], { INFERMARK_CATALOG: override });
      const embedded = (file: string) => {
        const m = /<script>window\.__INFERMARK_REPORT__=(.*?);<\/script>/s.exec(
          readFileSync(file, "utf8"),
        );
        return (JSON.parse(m![1]!) as { catalog: CatalogFigures }).catalog;
      };
      const figures = embedded(viaFlag);
      expect(figures.override).toEqual({ file: "override.json" });
      expect(figures.gpus.rtx6000!.price).toEqual({ hyperscaler: 1, neocloud: 1.2, rental: 1.1 });
      expect(figures.gpus.rtx6000!.sources.price).toEqual(CONTRACT);
      expect(embedded(viaEnv)).toEqual(figures);

      const offline = await browser.newContext({ offline: true });
      const tab = await offline.newPage();
      await tab.goto(`file://${viaFlag}#y=costPerMillionTotal&tier=rental`);
      await rendered(tab);
      const plotted = (await tab.evaluate(() => window.__infermark!.plotted())) as Plotted;
      expect(scatter(plotted, "rtx6000").map(([, y]) => y)).toEqual([
        costOf(1.1, 1500),
        costOf(1.1, 500),
      ]);
      expect(await tab.locator("#figures-source").textContent()).toContain(
        "rtx6000 1.1 from e2e contract (2026-10), catalog override override.json",
      );
      await offline.close();
    }, 90_000);
  },
);
