// Store benchmark: ingest rate into SQLite (and PostgreSQL when a URL is given) and the latency of
// "latest points of one model" with 1,000,000 points stored.
// Run: npm run perf:store [-- --points N --ingest N --batch N --fill-batch N --in-flight N --pg URL]
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { CanonicalPointResult, parseOrThrow } from "@infermark/core";
import { openStore, type Store } from "@infermark/store";
import { sql } from "kysely";
import { withPgSchema } from "./pg-schema.js";
import { LEVELS, syntheticPoint } from "./synthetic-point.js";

const { values } = parseArgs({
  options: {
    points: { type: "string", default: "1000000" },
    ingest: { type: "string", default: "100000" },
    batch: { type: "string", default: "5000" },
    "fill-batch": { type: "string", default: "50000" },
    /** Ingests (files) in flight at once: 2 overlaps a file's row building with the previous commit, as the CLI does. */
    "in-flight": { type: "string", default: "2" },
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
const IN_FLIGHT = Math.max(1, Number(values["in-flight"]));
const STORE_OPTIONS = { writerThread: !values.inline };

interface Rates {
  /** Points per wall-clock second. */
  wall: number;
  /** Points per CPU-second of this process (user + system), independent of other processes' load. */
  cpu: number;
}

/** Points generated ahead (untimed) at a time: the measured window is one such slice at the default sizes. */
const GENERATE_AHEAD = 100_000;

/**
 * Ingests points [from, to) the way `infermark ingest` ingests files of `batchSize` points each: one
 * `store.ingest` (one transaction) per file, with up to `inFlight` files in flight, so the next file is
 * checked and its rows built while the previous one commits (what the CLI does; `--in-flight 1` waits for
 * each file's commit before starting the next). Points are checked with CanonicalPointResult, as
 * `infermark ingest` checks a file's points: with `check`, inside the timed window, as the CLI does while
 * reading a file; without it beforehand, untimed, and the rate is the store's alone. Generating the synthetic points is
 * never timed: they are made ahead, GENERATE_AHEAD at a time, with the clocks stopped.
 */
async function ingestRange(
  store: Store,
  from: number,
  to: number,
  options: { check: boolean; batchSize?: number },
): Promise<{ rates: Rates; firstMs: number }> {
  const batchSize = options.batchSize ?? BATCH;
  let wall = 0;
  let cpu = 0;
  let firstMs = 0;
  gcPauses.minor = gcPauses.major = gcPauses.minorMs = gcPauses.majorMs = 0;
  for (let slice = from; slice < to; slice += GENERATE_AHEAD) {
    const end = Math.min(to, slice + GENERATE_AHEAD);
    const files: unknown[][] = [];
    for (let start = slice; start < end; start += batchSize) {
      const raw: unknown[] = [];
      for (let i = start; i < Math.min(end, start + batchSize); i++) raw.push(syntheticPoint(i));
      files.push(
        options.check ? raw : raw.map((p) => parseOrThrow(CanonicalPointResult, p, "point")),
      );
    }
    // The points made ahead are young objects: collect them now, so that promoting them is not charged
    // to the ingest (npm run perf:store passes --expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    gcPauses.on = true;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const inFlight: Promise<void>[] = [];
    for (const [k, file] of files.entries()) {
      const points = options.check
        ? file.map((p) => parseOrThrow(CanonicalPointResult, p, "point"))
        : file;
      const started = performance.now();
      inFlight.push(
        store.ingest(points, { path: `bench-${slice}-${k}`, validated: true }).then((r) => {
          if (slice === from && k === 0) firstMs = performance.now() - started;
          if (r.inserted !== points.length)
            throw new Error(`expected ${points.length} inserted, got ${r.inserted}`);
        }),
      );
      if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
    }
    await Promise.all(inFlight);
    gcPauses.on = false;
    wall += (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1e6;
  }
  return { rates: { wall: (to - from) / wall, cpu: (to - from) / cpu }, firstMs };
}

/** Garbage-collection pauses of the calling thread inside the timed windows of the last `ingestRange`. */
const gcPauses = { on: false, minor: 0, minorMs: 0, major: 0, majorMs: 0 };
new PerformanceObserver((list) => {
  if (!gcPauses.on) return;
  for (const entry of list.getEntries()) {
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      gcPauses.minor++;
      gcPauses.minorMs += entry.duration;
    } else {
      gcPauses.major++;
      gcPauses.majorMs += entry.duration;
    }
  }
}).observe({ entryTypes: ["gc"] });
const gcNote = () =>
  `calling thread's GC pauses ${gcPauses.minor} minor (${gcPauses.minorMs.toFixed(0)} ms) + ${gcPauses.major} other (${gcPauses.majorMs.toFixed(0)} ms)`;

const fmt = (n: number) => Math.round(n).toLocaleString("en");
const rates = (r: Rates) =>
  `${fmt(r.wall)} points/s wall clock, ${fmt(r.cpu)} points per CPU-second`;
const inFlightNote = () =>
  IN_FLIGHT > 1 ? `up to ${IN_FLIGHT} files in flight` : "one file at a time";

/** Copies what is left in the write-ahead log into the database file; returns the wall seconds it took. */
async function checkpointRest(store: Store): Promise<number> {
  const t0 = performance.now();
  // busy = 1 while the checkpoint thread holds the checkpoint lock: try again until this one ran.
  for (;;) {
    const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
    if (Number(rows[0]?.busy) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return (performance.now() - t0) / 1000;
}

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

/**
 * The 100,000-point ingests (store alone, then the CLI path into a fresh database) and the fill up to TOTAL
 * points. The store-alone rate counts the checkpoint of what the ingest left in the write-ahead log.
 */
async function fillSqlite(sqlite: Store): Promise<void> {
  console.log(
    `SQLite ingest of ${fmt(INGEST)} points, files of ${fmt(BATCH)} points, ${inFlightNote()}:`,
  );
  const alone = await ingestRange(sqlite, 0, INGEST, { check: false });
  // What the ingest left to copy from the log into the database file (the checkpoint thread does it as
  // it goes; closing the store would do the rest) is timed and counted, so it is not left out.
  const rest = await checkpointRest(sqlite);
  const seconds = INGEST / alone.rates.wall + rest;
  console.log(
    `  store.ingest (points already checked): ${fmt(INGEST / seconds)} points/s wall clock with the final checkpoint (${(rest * 1000).toFixed(0)} ms of it); ${rates(alone.rates)} before it; first file done ${alone.firstMs.toFixed(0)} ms after it started (threads starting, and the next file's rows built meanwhile); ${gcNote()}`,
  );
  const checked = await openStore(join(dir, "checked.db"), STORE_OPTIONS);
  const cli = await ingestRange(checked, 0, INGEST, { check: true });
  console.log(
    `  schema check + store.ingest (the CLI path, fresh database): ${rates(cli.rates)} before the final checkpoint; ${gcNote()}`,
  );
  await checked.close();
  const second = await openStore(join(dir, "unchecked.db"), STORE_OPTIONS);
  const unchecked = Math.min(INGEST, 20_000);
  console.log(
    `  store.ingest checking the schema itself (${fmt(unchecked)} points, one file at a time, fresh database): ${rates(await ingestUnchecked(second, unchecked))}`,
  );
  await second.close();
  if (TOTAL > INGEST) {
    // The fill goes through store.ingest too (points not re-checked, files of FILL_BATCH): the same
    // path, in larger transactions to keep the run short.
    const t0 = performance.now();
    const fill = await ingestRange(sqlite, INGEST, TOTAL, { check: false, batchSize: FILL_BATCH });
    console.log(
      `SQLite filled to ${fmt(TOTAL)} points in ${((performance.now() - t0) / 1000).toFixed(0)} s more (store.ingest, files of ${fmt(FILL_BATCH)}): ${rates(fill.rates)}`,
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
/**
 * Which code of the store runs: `npm run perf:store` builds the packages and runs their built JavaScript, as
 * an installed `infermark` does (from source, each writer thread would load tsx and compile TypeScript as it
 * starts, inside the timed window).
 */
const storeCode = import.meta.resolve("@infermark/store").includes("/dist/")
  ? "built code"
  : "source (TypeScript through tsx: thread start-up is slower than built code)";
console.log(
  `store: ${storeCode}; node ${process.version}, ${cpus().length} CPU(s), load average ${loadavg()[0]!.toFixed(1)}, ${LEVELS} load levels, batch ${BATCH}, SQLite ${values.inline ? "on the main connection (--inline)" : "writer thread"}`,
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
    await withPgSchema(values.pg, `bench_${process.pid}`, async (url) => {
      const store = await openStore(url);
      const alone = await ingestRange(store, 0, INGEST, { check: false });
      console.log(
        `PostgreSQL ingest of ${fmt(INGEST)} points, files of ${fmt(BATCH)} points, ${inFlightNote()}: store.ingest (points already checked): ${rates(alone.rates)}; first file done ${alone.firstMs.toFixed(0)} ms after it started (the next file in flight meanwhile)`,
      );
      await timeQuery(
        `PostgreSQL latest points of one model (${INGEST.toLocaleString("en")} stored)`,
        () => store.queryPoints({ model: ["dsr1"], latest: true }),
      );
      await store.close();
    });
  } else console.log("PostgreSQL: skipped (give --pg URL or set INFERMARK_TEST_PG_URL)");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
