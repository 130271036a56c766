// Store benchmark: ingest rate into SQLite (and PostgreSQL when a URL is given) and the latency of
// "latest points of one model" with 1,000,000 points stored. Run: npm run perf:store [-- --points N --pg URL]
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { PointResult } from "@infermark/core";
import { openStore, type Store } from "@infermark/store";
import pg from "pg";
import { LEVELS, syntheticPoint } from "./synthetic-point.js";

const { values } = parseArgs({
  options: {
    points: { type: "string", default: "1000000" },
    ingest: { type: "string", default: "100000" },
    batch: { type: "string", default: "5000" },
    pg: { type: "string", default: process.env.INFERMARK_TEST_PG_URL },
  },
});
const TOTAL = Number(values.points);
const INGEST = Number(values.ingest);
const BATCH = Number(values.batch);

/** Ingests points [from, to) in batches; returns points per wall-clock second and per CPU second of this process. */
async function ingestRange(
  store: Store,
  from: number,
  to: number,
): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let start = from; start < to; start += BATCH) {
    const batch: PointResult[] = [];
    for (let i = start; i < Math.min(to, start + BATCH); i++) batch.push(syntheticPoint(i));
    const r = await store.ingest(batch, { path: `bench-${start}` });
    if (r.inserted !== batch.length)
      throw new Error(`expected ${batch.length} inserted, got ${r.inserted}`);
  }
  const cpu = process.cpuUsage(c0);
  return {
    wall: (to - from) / ((performance.now() - t0) / 1000),
    cpu: (to - from) / ((cpu.user + cpu.system) / 1e6),
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en");
const rates = (r: { wall: number; cpu: number }) =>
  `${fmt(r.wall)} points/s wall clock (${fmt(r.cpu)} points per CPU-second of this process)`;

async function timeQuery(label: string, run: () => Promise<unknown[]>): Promise<void> {
  await run(); // warm the cache once
  const times: number[] = [];
  let n = 0;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    n = (await run()).length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(
    `  ${label}: ${n} points, median ${times[3]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[6]!.toFixed(1)})`,
  );
}

const dir = mkdtempSync(join(tmpdir(), "infermark-store-bench-"));
console.log(
  `node ${process.version}, ${cpus().length} CPU(s), load average ${loadavg()[0]!.toFixed(1)}, ${LEVELS} load levels, batch ${BATCH}`,
);
try {
  const dbPath = join(dir, "bench.db");
  const sqlite = await openStore(dbPath);
  const rate = await ingestRange(sqlite, 0, INGEST);
  console.log(`SQLite ingest of ${fmt(INGEST)} points: ${rates(rate)}`);
  if (TOTAL > INGEST) {
    const t0 = performance.now();
    const rest = await ingestRange(sqlite, INGEST, TOTAL);
    console.log(
      `SQLite filled to ${fmt(TOTAL)} points in ${((performance.now() - t0) / 1000).toFixed(0)} s more: ${rates(rest)}`,
    );
  }
  console.log(`Queries with ${TOTAL.toLocaleString("en")} points in SQLite:`);
  await timeQuery("latest points of one model", () =>
    sqlite.queryPoints({ model: ["dsr1"], latest: true }),
  );
  await timeQuery("latest of one model, 1k/1k, h200", () =>
    sqlite.queryPoints({ model: ["dsr1"], isl: 1024, osl: 1024, hardware: ["h200"], latest: true }),
  );
  await timeQuery("latest of one model as of a date (window path), 1k/1k", () =>
    sqlite.queryPoints({
      model: ["dsr1"],
      isl: 1024,
      osl: 1024,
      dateTo: "2025-01-20",
      latest: true,
    }),
  );
  await timeQuery("list groups of one model", () => sqlite.listGroups({ model: ["dsr1"] }));
  await sqlite.close();

  if (values.pg) {
    const schema = `bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: values.pg });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    try {
      const url = new URL(values.pg);
      url.searchParams.set("options", `-c search_path=${schema}`);
      const store = await openStore(url.toString());
      const pgRate = await ingestRange(store, 0, INGEST);
      console.log(
        `PostgreSQL ingest of ${fmt(INGEST)} points: ${fmt(pgRate.wall)} points/s wall clock`,
      );
      await timeQuery(
        `PostgreSQL latest points of one model (${INGEST.toLocaleString("en")} stored)`,
        () => store.queryPoints({ model: ["dsr1"], latest: true }),
      );
      await store.close();
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  } else console.log("PostgreSQL: skipped (give --pg URL or set INFERMARK_TEST_PG_URL)");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
