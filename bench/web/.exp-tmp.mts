import { openStore } from "@infermark/store";
import { startUiServer } from "@infermark/cli";
import { requireWebApp } from "@infermark/web";
import { chromium } from "playwright-core";
const store = await openStore("/tmp/imperf.db");
const ui = await startUiServer({ store, appDir: requireWebApp(), port: 0 });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
await page.goto(ui.url);
await page.waitForFunction(() => document.body.dataset.rendered === "1", undefined, { timeout: 60000 });
const res = await page.evaluate(`(async () => {
  const chart = window.__chart();
  const full = chart.getOption();
  const series = full.series;
  const frame = () => new Promise((r) => chart.on("finished", function f() { chart.off("finished", f); r(0); }));
  const time = async (label, opt, how) => {
    const out = [];
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      const done = frame();
      chart.setOption(opt, how);
      const t1 = performance.now();
      await done;
      out.push(t1 - t0, performance.now() - t1);
    }
    return \`\${label}: \${out.map((x) => x.toFixed(0)).join(" ")}\`;
  };
  const small = series.slice(0, 4);
  const noLines = series.filter((s) => s.type === "scatter");
  const rows = [];
  rows.push(await time("all replace", { series }, { replaceMerge: ["series"] }));
  rows.push(await time("small replace", { series: small }, { replaceMerge: ["series"] }));
  rows.push(await time("all replace", { series }, { replaceMerge: ["series"] }));
  rows.push(await time("scatter only", { series: noLines }, { replaceMerge: ["series"] }));
  rows.push(await time("all notMerge", { ...full, series }, { notMerge: true }));
  rows.push(await time("small notMerge", { ...full, series: small }, { notMerge: true }));
  rows.push(await time("all, no data change (merge)", { title: { text: "x" } }, {}));
  return rows.join("\n");
})()`);
console.log(res);
await browser.close(); await ui.close(); await store.close();
