import { stableStringify } from "@infermark/core";
import { canonicalJson } from "../../packages/store/src/canonical-json.js";
import { contentHash } from "../../packages/store/src/point-row.js";
import { syntheticPoint } from "./synthetic-point.js";
const N = 40000;
const all = Array.from({ length: N }, (_, i) => syntheticPoint(i));
const INDEX = /^(?:0|[1-9]\d*)$/;
class Unsafe extends Error {}
function sortedClone(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) { const out = new Array(v.length); for (let i = 0; i < v.length; i++) out[i] = sortedClone(v[i]); return out; }
  const keys = Object.keys(v);
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) { keys.sort(); break; }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const c = k.charCodeAt(0);
    if (c >= 48 && c <= 57 && INDEX.test(k)) throw new Unsafe();
    const x = (v as any)[k];
    if (x !== undefined) out[k] = sortedClone(x);
  }
  return out;
}
function viaClone(v: unknown): string {
  try { return JSON.stringify(sortedClone(v)); } catch (e) { if (e instanceof Unsafe) return canonicalJson(v); throw e; }
}
function time(label: string, f: (p: unknown) => string) {
  const run = () => { let keep: string[] = []; for (let i = 0; i < N; i++) { const j = f(all[i]); contentHash(j); keep.push(j); if (keep.length === 5000) keep = []; } };
  run();
  const c0 = process.cpuUsage(); run(); const c = process.cpuUsage(c0);
  console.log(label, ((c.user + c.system) / N).toFixed(2), "us/pt cpu");
}
time("canonicalJson+hash", canonicalJson);
time("clone+stringify+hash", viaClone);
time("canonicalJson+hash", canonicalJson);
time("clone+stringify+hash", viaClone);
for (const p of all.slice(0, 200)) if (viaClone(p) !== stableStringify(p)) throw new Error("x");
console.log(viaClone({ b: { "10": 1, "9": 2 } }), stableStringify({ b: { "10": 1, "9": 2 } }));
