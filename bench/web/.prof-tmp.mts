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
const cdp = await page.context().newCDPSession(page);
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
await cdp.send("Profiler.start");
let n = 1;
for (const label of ["h200", "b200", "h200", "b200"]) {
  await page.getByLabel(label, { exact: true }).click();
  await page.waitForFunction((k) => Number(document.body.dataset.rendered) > k, n);
  n++;
}
const { profile } = await cdp.send("Profiler.stop");
console.log(await page.evaluate(() => window.__infermark!.renders.map((r) => r.ms.toFixed(0)).join(" ")));
console.log(await page.evaluate(() => performance.getEntriesByType("measure").map((m) => `${m.name.slice(10)} ${m.duration.toFixed(0)}`).join(", ")));
const self = new Map<string, number>();
const dt = profile.timeDeltas!;
const byId = new Map(profile.nodes.map((x) => [x.id, x]));
const counts = new Map<number, number>();
profile.samples!.forEach((s, i) => counts.set(s, (counts.get(s) ?? 0) + (dt[i] ?? 0)));
for (const [id, t] of counts) {
  const nd = byId.get(id)!;
  const k = `${nd.callFrame.functionName || "(anon)"} ${nd.callFrame.url.split("/").pop()}:${nd.callFrame.lineNumber}`;
  self.set(k, (self.get(k) ?? 0) + t / 1000);
}
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${v.toFixed(0).padStart(6)} ms ${k}`).join("\n"));
await browser.close(); await ui.close(); await store.close();
