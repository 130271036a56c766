// Dashboard benchmark (not a test): first render and filter change of the frontier view with 50,000 points, timed
// in headless chromium against the real `infermark ui` server over a real SQLite store.
//   npm run perf:web                 (POINTS=50000 RUNS=5 CHROMIUM_PATH=/usr/bin/chromium)
//   PERF_DB=/tmp/perf.db npm run perf:web   keeps the seeded store there and reuses it on the next run
//   WEB_APP=/tmp/other/packages/web/dist/app/ npm run perf:web   serves another build's app (an A/B of two builds
//   with the same server and store)
// Targets (issue 8): first render < 2 s, filter change < 150 ms.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { startUiServer } from "@infermark/cli";
import { PointResult } from "@infermark/core";
import { openStore } from "@infermark/store";
import { requireWebApp } from "@infermark/web";
import { chromium } from "playwright-core";

const POINTS = Number(process.env.POINTS ?? 50_000);
const RUNS = Number(process.env.RUNS ?? 5);
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const HARDWARE = ["h100", "h200", "b200", "b300", "gb200", "gb300", "mi300x", "mi325x", "mi355x"];
const FRAMEWORKS = ["sglang", "trt", "vllm", "atom"];

/** 50,000 distinct load levels: 288 groups (GPU x framework x precision x spec x disagg) x concurrency. */
function points(n: number): PointResult[] {
  const out: PointResult[] = [];
  const groups: [string, string, string, string, boolean][] = [];
  for (const hw of HARDWARE)
    for (const fw of FRAMEWORKS)
      for (const prec of ["fp8", "fp4"])
        for (const spec of ["none", "mtp"])
          for (const disagg of [false, true]) groups.push([hw, fw, prec, spec, disagg]);
  for (let i = 0; i < n; i++) {
    const [hardware, framework, precision, method, disaggregated] = groups[i % groups.length]!;
    const conc = 1 + Math.floor(i / groups.length);
    const g = i % groups.length;
    const intvty = 400 / Math.sqrt(conc) + (g % 7);
    const tput = (200 + g * 13) * Math.log2(1 + conc) * (1 + ((i * 7919) % 100) / 400);
    out.push(
      PointResult.parse({
        schema: "infermark.point/v1",
        run: { source: g % 3 === 0 ? "simulated" : "imported", date: "2026-01-15" },
        config: {
          model: "dsr1",
          hardware,
          framework,
          precision,
          specDecoding: { method },
          topology: { disaggregated, gpus: 8, prefillGpus: 8, decodeGpus: 8 },
          workload: { isl: 1024, osl: 1024 },
          load: { mode: "concurrency", concurrency: conc },
        },
        metrics: {
          tputPerGpu: tput,
          inputTputPerGpu: tput / 2,
          outputTputPerGpu: tput / 2,
          intvty: { median: intvty, p99: intvty * 0.8 },
          ttft: { median: 0.05 * Math.sqrt(conc), p99: 0.1 * Math.sqrt(conc) },
          tpot: { median: 1 / intvty },
          e2el: { median: 1024 / intvty },
        },
        validity: { valid: true },
      }),
    );
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), "infermark-perf-web-"));
const dbPath = process.env.PERF_DB || join(dir, "perf.db");
const reuse = Boolean(process.env.PERF_DB) && existsSync(dbPath);
const store = await openStore(dbPath);
try {
  if (!reuse) {
    const t = performance.now();
    const all = points(POINTS);
    for (let i = 0; i < all.length; i += 5000) await store.ingest(all.slice(i, i + 5000));
    console.log(`stored ${POINTS} points in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else console.log(`reusing the store ${dbPath}`);
  const appDir = process.env.WEB_APP
    ? `${process.env.WEB_APP.replace(/\/$/, "")}/`
    : requireWebApp();
  console.log(`app: ${appDir}`);
  const ui = await startUiServer({ store, appDir, port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const first: number[] = [];
  const filter: number[] = [];
  const axis: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(ui.url);
    await page.waitForFunction(() => document.body.dataset.rendered === "1", undefined, {
      timeout: 60_000,
    });
    const log = () =>
      page.evaluate(() => window.__infermark!.renders.map((r) => ({ ms: r.ms, at: r.at })));
    // first render: navigation start to the chart's first finished frame (fetch, parse, select, frontier, draw)
    first.push((await log())[0]!.at);
    if (run === 0 || run === RUNS - 1)
      console.log(
        `first render phases (run ${run + 1}${run === 0 ? ", fresh server" : ""}):`,
        await page.evaluate(() =>
          performance
            .getEntriesByType("measure")
            .filter((m) => m.name.startsWith("infermark:"))
            .map((m) => `${m.name.slice(10)} ${m.duration.toFixed(0)} ms`)
            .join(", "),
        ),
      );
    const plotted = await page.evaluate(() =>
      window
        .__infermark!.plotted()
        .filter((s) => s.type === "scatter")
        .reduce((n, s) => n + s.data.length, 0),
    );
    if (run === 0)
      console.log(
        `plotted ${plotted} points in ${await page.locator(".legend-item").count()} groups`,
      );
    if (run === 0) {
      // sanity: in large mode a hovered point still gives its tooltip; SHOT=file.png saves the chart
      const first = await page.evaluate(() => {
        const s = window.__infermark!.plotted().find((q) => q.type === "scatter" && q.data.length);
        const [x, y] = (s?.data[0] ?? []) as number[];
        return window.__infermark!.toPixel(x!, y!);
      });
      const box = (await page.locator("#chart").boundingBox())!;
      await page.mouse.move(box.x + first![0], box.y + first![1]);
      const tip = await page
        .locator(".tip")
        .first()
        .waitFor({ timeout: 5000 })
        .then(
          () => "shown",
          () => "MISSING",
        );
      console.log(`tooltip on a hovered point: ${tip}`);
      if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT });
      await page.mouse.move(0, 0);
    }
    let n = 1;
    for (const label of ["h200", "b200", "h200", "b200"]) {
      await page.getByLabel(label, { exact: true }).click();
      await page.waitForFunction((k) => Number(document.body.dataset.rendered) > k, n, {
        timeout: 30_000,
      });
      n++;
      filter.push((await log())[n - 1]!.ms);
    }
    await page.getByLabel("Y axis", { exact: true }).selectOption("costPerMillionTotal");
    await page.waitForFunction((k) => Number(document.body.dataset.rendered) > k, n, {
      timeout: 30_000,
    });
    n++;
    axis.push((await log())[n - 1]!.ms);
    if (run === 0)
      console.log(
        "all phases:",
        await page.evaluate(() =>
          performance
            .getEntriesByType("measure")
            .filter((m) => m.name.startsWith("infermark:"))
            .map((m) => `${m.name.slice(10)} ${m.duration.toFixed(0)}`)
            .join(", "),
        ),
      );
    await page.close();
  }
  await browser.close();
  await ui.close();
  const row = (name: string, xs: number[], target: number) =>
    console.log(
      `${name.padEnd(34)} median ${median(xs).toFixed(0).padStart(5)} ms  max ${Math.max(...xs)
        .toFixed(0)
        .padStart(5)} ms  (target < ${target} ms) ${median(xs) < target ? "ok" : "MISSED"}`,
    );
  console.log(
    `machine: ${cpus().length} cores (${cpus()[0]?.model}), node ${process.version}, ${RUNS} runs`,
  );
  console.log(`first render of run 1 (server just started): ${first[0]!.toFixed(0)} ms`);
  row("first render (navigation to chart)", first, 2000);
  row("filter change (GPU checkbox)", filter, 150);
  row("y axis change (cost per million)", axis, 150);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
