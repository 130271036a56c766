// Store benchmark: ingest rate into SQLite (and PostgreSQL when a URL is given) and the latency of
// "latest points of one model" with 1,000,000 points stored.
// Run: npm run perf:store [-- --points N --ingest N --batch N --fill-batch N --pg URL]
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PointResult, parseOrThrow } from "@infermark/core";
import { openStore, type Store } from "@infermark/store";
import { sql } from "kysely";
import pg from "pg";
import { LEVELS, syntheticPoint } from "./synthetic-point.js";

const { values } = parseArgs({
  options: {
    points: { type: "string", default: "1000000" },
    ingest: { type: "string", default: "100000" },
    batch: { type: "string", default: "5000" },
    "fill-batch": { type: "string", default: "50000" },
    pg: { type: "string", default: process.env.INFERMARK_TEST_PG_URL },
    /** Keep the SQLite database at this path; when it already holds points, skip straight to the queries. */
    keep: { type: "string" },
    /** SQLite: write every ingest on the main connection (no writer and checkpoint threads), to compare. */
    inline: { type: "boolean", default: false },
  },
});
const TOTAL = Number(values.points);
const INGEST = Number(values.ingest);
const BATCH = Number(values.batch);
const FILL_BATCH = Number(values["fill-batch"]);
const STORE_OPTIONS = { writerThread: !values.inline };

interface Rates {
  /** Points per wall-clock second. */
  wall: number;
  /** Points per CPU-second of this process (user + system), independent of other processes' load. */
  cpu: number;
}

/**
 * Ingests points [from, to) in batches of BATCH, one `store.ingest` (one transaction) per batch, the way
 * `infermark ingest` does per file: each point is checked against the PointResult schema once (zod, as the CLI
 * does while reading the file), then handed to the store with `validated: true`. Generating the synthetic
 * points is not timed. Returns the rate of the store alone and of schema check + store together.
 */
async function ingestRange(
  store: Store,
  from: number,
  to: number,
  validate = true,
  batchSize = BATCH,
): Promise<{ store: Rates; withCheck: Rates; firstMs: number }> {
  let firstMs = 0;
  let checkWall = 0;
  let checkCpu = 0;
  let storeWall = 0;
  let storeCpu = 0;
  const cpuOf = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
  for (let start = from; start < to; start += batchSize) {
    const raw: unknown[] = [];
    for (let i = start; i < Math.min(to, start + batchSize); i++) raw.push(syntheticPoint(i));
    let t0 = performance.now();
    let c0 = process.cpuUsage();
    const batch = validate ? raw.map((p) => parseOrThrow(PointResult, p, "point")) : raw;
    checkWall += performance.now() - t0;
    checkCpu += cpuOf(process.cpuUsage(c0));
    t0 = performance.now();
    c0 = process.cpuUsage();
    const r = await store.ingest(batch, { path: `bench-${start}`, validated: true });
    if (start === from) firstMs = performance.now() - t0;
    storeWall += performance.now() - t0;
    storeCpu += cpuOf(process.cpuUsage(c0));
    if (r.inserted !== batch.length)
      throw new Error(`expected ${batch.length} inserted, got ${r.inserted}`);
  }
  const n = to - from;
  return {
    store: { wall: n / (storeWall / 1000), cpu: n / storeCpu },
    withCheck: { wall: n / ((storeWall + checkWall) / 1000), cpu: n / (storeCpu + checkCpu) },
    firstMs,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en");
const rates = (r: Rates) =>
  `${fmt(r.wall)} points/s wall clock, ${fmt(r.cpu)} points per CPU-second`;
const report = (what: string, r: { store: Rates; withCheck: Rates; firstMs: number }) => {
  console.log(`${what} (first batch ${r.firstMs.toFixed(0)} ms, starting threads included):`);
  console.log(`  store.ingest (points already checked): ${rates(r.store)}`);
  console.log(`  schema check + store.ingest (the CLI path): ${rates(r.withCheck)}`);
};

/**
 * `store.ingest` without `validated` (the store checks the schema itself, as for callers that did not), for
 * `n` points in batches of BATCH into a fresh database.
 */
async function ingestUnchecked(store: Store, n: number): Promise<Rates> {
  let wall = 0;
  let cpu = 0;
  for (let start = 0; start < n; start += BATCH) {
    const batch: unknown[] = [];
    for (let i = start; i < Math.min(n, start + BATCH); i++) batch.push(syntheticPoint(i));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await store.ingest(batch, { path: `bench-unchecked-${start}` });
    const c = process.cpuUsage(c0);
    wall += (performance.now() - t0) / 1000;
    cpu += (c.user + c.system) / 1e6;
  }
  return { wall: n / wall, cpu: n / cpu };
}

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

/** The 100,000-point ingest (timed, through store.ingest) and the fill up to TOTAL points. */
async function fillSqlite(sqlite: Store): Promise<void> {
  report(`SQLite ingest of ${fmt(INGEST)} points`, await ingestRange(sqlite, 0, INGEST));
  // What the ingest left to copy from the write-ahead log into the database file (the checkpoint thread
  // does it as it goes; closing the store would do the rest): timed here, so it is not left out.
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  // busy = 1 while the checkpoint thread holds the checkpoint lock: try again until this one ran.
  for (;;) {
    const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(
      sqlite.db,
    );
    if (Number(rows[0]?.busy) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const c = process.cpuUsage(c0);
  console.log(
    `  then the rest of the log checkpointed: ${(performance.now() - t0).toFixed(0)} ms wall, ${((c.user + c.system) / 1000).toFixed(0)} ms CPU`,
  );
  const second = await openStore(join(dir, "unchecked.db"), STORE_OPTIONS);
  const unchecked = Math.min(INGEST, 20_000);
  console.log(
    `  store.ingest checking the schema itself (${fmt(unchecked)} points, fresh database): ${rates(await ingestUnchecked(second, unchecked))}`,
  );
  await second.close();
  if (TOTAL > INGEST) {
    // The fill goes through store.ingest too (points not re-checked, batches of FILL_BATCH): the same
    // path, in larger transactions to keep the run short.
    const t0 = performance.now();
    const rest = await ingestRange(sqlite, INGEST, TOTAL, false, FILL_BATCH);
    console.log(
      `SQLite filled to ${fmt(TOTAL)} points in ${((performance.now() - t0) / 1000).toFixed(0)} s more (store.ingest, batches of ${fmt(FILL_BATCH)}): ${rates(rest.store)}`,
    );
  }
}

async function querySqlite(sqlite: Store, stored: number): Promise<void> {
  console.log(
    `Queries with ${fmt(stored)} points in SQLite (load average ${loadavg()[0]!.toFixed(1)}):`,
  );
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
  await timeQuery("list all groups", () => sqlite.listGroups({}));
  await timeQuery("list groups of one model, date range (counts points)", () =>
    sqlite.listGroups({ model: ["dsr1"], dateFrom: "2025-01-10", dateTo: "2025-01-20" }),
  );
  await timeQuery("list dates of one model", () => sqlite.listDates({ model: ["dsr1"] }));
}

const dir = mkdtempSync(join(tmpdir(), "infermark-store-bench-"));
console.log(
  `node ${process.version}, ${cpus().length} CPU(s), load average ${loadavg()[0]!.toFixed(1)}, ${LEVELS} load levels, batch ${BATCH}, SQLite ${values.inline ? "on the main connection (--inline)" : "writer thread"}`,
);
try {
  const sqlite = await openStore(values.keep ?? join(dir, "bench.db"), STORE_OPTIONS);
  const stored = Number(
    (await sql<{ n: number }>`select count(*) as n from points`.execute(sqlite.db)).rows[0]!.n,
  );
  if (stored > 0)
    console.log(`SQLite: ${fmt(stored)} points already in ${values.keep}, queries only`);
  else await fillSqlite(sqlite);
  await querySqlite(sqlite, stored || TOTAL);
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
      report(`PostgreSQL ingest of ${fmt(INGEST)} points`, await ingestRange(store, 0, INGEST));
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
