import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@infermark/store";
import Database from "better-sqlite3";
import { canonicalJson } from "../../packages/store/src/canonical-json.js";
import { RowCache, toRows } from "../../packages/store/src/point-row.js";
import { sqliteWriter } from "../../packages/store/src/dialects/sqlite/sqlite-writer.js";
import { syntheticPoint } from "./synthetic-point.js";
const path = join(mkdtempSync(join(tmpdir(), "sbq-")), "x.db");
const store = await openStore(path); await store.close();
const db = new Database(path);
for (const p of (process.env.PRAGMAS ?? "journal_mode=WAL;synchronous=NORMAL;cache_size=-65536;temp_store=MEMORY").split(";")) if (p) db.pragma(p);
const N = 40000;
const all = Array.from({ length: N }, (_, i) => syntheticPoint(i));
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };
let tRows = 0, tIns = 0, tCommit = 0;
const w = sqliteWriter(db)();
for (let s = 0; s < N; s += 5000) {
  let c = cpu();
  const cache = new RowCache();
  const rows = all.slice(s, s + 5000).map((p) => ({ ...toRows(p, canonicalJson(p), cache).point, ingest_id: "x".repeat(36) }));
  tRows += cpu() - c; c = cpu();
  db.exec("begin");
  if (process.env.MODE === "row") { const cols = Object.keys(rows[0]); const st = db.prepare(`insert or ignore into points (${cols}) values (${cols.map(()=>"?")})`); for (const r of rows) st.run(Object.values(r)); }
  else await w.insertIgnore("points", rows as any);
  tIns += cpu() - c; c = cpu();
  db.exec("commit");
  tCommit += cpu() - c;
}
console.log(`rows ${(tRows*1000/N).toFixed(1)} us/pt, insert ${(tIns*1000/N).toFixed(1)}, commit ${(tCommit*1000/N).toFixed(1)}`);
