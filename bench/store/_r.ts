import { createHash } from "node:crypto";
import { canonicalJson } from "../../packages/store/src/canonical-json.js";
import { RowCache, toRows, contentHash } from "../../packages/store/src/point-row.js";
import { syntheticPoint } from "./synthetic-point.js";
const N = 40000;
const all = Array.from({ length: N }, (_, i) => syntheticPoint(i));
function time(label: string, f: () => void) {
  f();
  const c0 = process.cpuUsage(); const t0 = performance.now(); f(); const c = process.cpuUsage(c0);
  console.log(label, ((c.user + c.system) / N).toFixed(2), "us/pt cpu", ((performance.now()-t0)*1000/N).toFixed(2), "wall");
}
time("canonical", () => { for (const p of all) canonicalJson(p); });
const js = all.map(canonicalJson);
time("hash", () => { for (const j of js) contentHash(j); });
time("run stringify", () => { for (const p of all) JSON.stringify(p.run); });
time("served", () => { for (const p of all) { const { load, ...served } = p.config; JSON.stringify(served); } });
time("toRows", () => { const c = new RowCache(); let i = 0; for (const p of all) { if (i++ % 5000 === 0) {} toRows(p, js[i-1], c); } });
time("toRows+canon", () => { const c = new RowCache(); for (const p of all) toRows(p, canonicalJson(p), c); });
