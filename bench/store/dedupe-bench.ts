// `infermark db dedupe` at scale: a store of N points of which a tenth are poorer copies of another stored point
// (what an old store that imported InferenceX history many times holds), then `db dedupe --dry-run` and
// `db dedupe` timed (`dedupeStore`, the command's code without its printing), on SQLite and, given a URL, PostgreSQL.
// Run: npm run perf:store-dedupe [-- --points N --pg-points N --pg URL --fill-batch N]
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { dedupeStore } from "@infermark/cli";
import type { PointResult } from "@infermark/core";
import { openStore } from "@infermark/store";
import { withPgSchema } from "./pg-schema.js";
import { syntheticPoint } from "./synthetic-point.js";

const { values } = parseArgs({
  options: {
    points: { type: "string", default: "1000000" },
    "pg-points": { type: "string", default: "200000" },
    "fill-batch": { type: "string", default: "50000" },
    pg: { type: "string", default: process.env.INFERMARK_TEST_PG_URL },
  },
});
const FILL_BATCH = Number(values["fill-batch"]);
const fmt = (n: number) => Math.round(n).toLocaleString("en");

/**
 * The k-th stored point of a store of `total`: the distinct measurements are synthetic points linked to a run of
 * their day; one in nine of them is stored twice, a rich copy (one statistic more) and a poor one, so a tenth of
 * the points are copies that `db dedupe` removes.
 */
function* dedupePoints(total: number): Generator<PointResult> {
  const copies = Math.floor(total / 10);
  let made = 0;
  for (let i = 0; made < total; i++) {
    const p = syntheticPoint(i);
    p.run.ciUrl = `https://github.com/o/r/actions/runs/${p.run.date.replaceAll("-", "")}`;
    const twice = i % 9 === 0 && i / 9 < copies;
    if (twice) {
      yield structuredClone(p);
      made++;
      p.metrics.itl = { median: 0.02, p99: 0.03 };
    }
    yield p;
    made++;
  }
}

async function fill(url: string, total: number): Promise<void> {
  const store = await openStore(url);
  const t0 = performance.now();
  let file: PointResult[] = [];
  for (const p of dedupePoints(total)) {
    file.push(p);
    if (file.length === FILL_BATCH) {
      await store.ingest(file, { validated: true });
      file = [];
    }
  }
  if (file.length > 0) await store.ingest(file, { validated: true });
  await store.close();
  console.log(
    `  filled with ${fmt(total)} points (${fmt(total / 10)} poorer copies) in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}

async function timeDedupe(url: string): Promise<void> {
  for (const dryRun of [true, false]) {
    const t0 = performance.now();
    const r = await dedupeStore({ db: url, dryRun });
    const s = (performance.now() - t0) / 1000;
    console.log(
      `  db dedupe${dryRun ? " --dry-run" : ""}: ${fmt(r.removed.length)} point(s) ${dryRun ? "to remove" : "removed"}, ${r.runs} run(s), ${r.configurations} configuration(s), ${s.toFixed(1)} s; peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MiB (load average ${loadavg()[0]!.toFixed(1)})`,
    );
  }
  const store = await openStore(url, { create: false });
  const again = await store.removeDuplicates(() => [], { dryRun: true });
  await store.close();
  if (again.removed.length !== 0) throw new Error("copies left after db dedupe");
}

console.log(
  `node ${process.version}, ${cpus().length} CPU(s), load average ${loadavg()[0]!.toFixed(1)}`,
);
const dir = mkdtempSync(join(tmpdir(), "infermark-dedupe-bench-"));
try {
  const sqlite = join(dir, "dedupe.db");
  console.log(`SQLite, ${fmt(Number(values.points))} points:`);
  await fill(sqlite, Number(values.points));
  await timeDedupe(sqlite);
  if (values.pg) {
    await withPgSchema(values.pg, `dedupe_bench_${process.pid}`, async (url) => {
      console.log(`PostgreSQL, ${fmt(Number(values["pg-points"]))} points:`);
      await fill(url, Number(values["pg-points"]));
      await timeDedupe(url);
    });
  } else console.log("PostgreSQL: skipped (give --pg URL or set INFERMARK_TEST_PG_URL)");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
