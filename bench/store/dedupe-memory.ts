// The memory of `infermark db dedupe` on a large store whose points are nearly all copies: every measurement stored
// twice, a rich copy and a poorer one (what an export imported back into its own store by an older infermark
// leaves), so every point is a candidate `db dedupe` reads. The store is filled here; `dedupeStore` (the command's
// code without its printing) then runs in a child process of its own, whose peak RSS is the dedupe's alone.
// Run: node --conditions=infermark-source --import tsx bench/store/dedupe-memory.ts [--points N --pg URL --pg-points N
// --dry-run --heap MiB]
import { spawnSync } from "node:child_process";
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
    pg: { type: "string", default: process.env.INFERMARK_TEST_PG_URL },
    "dry-run": { type: "boolean", default: false },
    // the V8 heap the dedupe's process may use, in MiB (Node's default on this machine: 4,096)
    heap: { type: "string", default: "4096" },
    // the child: run dedupeStore on --db and print what it took
    child: { type: "string" },
  },
});
const fmt = (n: number) => Math.round(n).toLocaleString("en");
const FILL_BATCH = 50_000;

if (values.child !== undefined) {
  const t0 = performance.now();
  const r = await dedupeStore({ db: values.child, dryRun: values["dry-run"] });
  console.log(
    JSON.stringify({
      removed: r.removed.length,
      seconds: (performance.now() - t0) / 1000,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
    }),
  );
  process.exit(0);
}

/** `total` points: measurement i (a synthetic point linked to its day's run) twice, rich and poor. */
function* copies(total: number): Generator<PointResult> {
  for (let i = 0; 2 * i < total; i++) {
    const p = syntheticPoint(i);
    p.run.ciUrl = `https://github.com/o/r/actions/runs/${p.run.date.replaceAll("-", "")}`;
    yield structuredClone(p);
    p.metrics.itl = { median: 0.02, p99: 0.03 };
    yield p;
  }
}

async function fill(url: string, total: number): Promise<void> {
  const store = await openStore(url);
  const t0 = performance.now();
  let batch: PointResult[] = [];
  for (const p of copies(total)) {
    batch.push(p);
    if (batch.length === FILL_BATCH) {
      await store.ingest(batch, { validated: true });
      batch = [];
    }
  }
  if (batch.length > 0) await store.ingest(batch, { validated: true });
  const { json } = await store.db
    .selectFrom("points")
    .select((eb) => eb.fn.avg<number>(eb.fn("length", ["json"])).as("json"))
    .executeTakeFirstOrThrow();
  await store.close();
  console.log(
    `  filled with ${fmt(total)} points, every measurement twice (JSON ${fmt(Number(json))} characters a point on average), in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}

/** Runs dedupeStore in a child process (limited to `heapMiB` of V8 heap) and prints its time and peak RSS. */
function dedupeInChild(url: string, heapMiB = Number(values.heap)): void {
  const child = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${heapMiB}`,
      "--conditions=infermark-source",
      "--import",
      "tsx",
      new URL(import.meta.url).pathname,
      "--child",
      url,
      ...(values["dry-run"] ? ["--dry-run"] : []),
    ],
    { encoding: "utf8", maxBuffer: 1 << 26 },
  );
  const last = child.stdout.trim().split("\n").at(-1) ?? "";
  if (child.status !== 0 || !last.startsWith("{")) {
    const why = child.stderr.split("\n").find((l) => /heap|memory|Error/.test(l)) ?? child.stderr;
    console.log(
      `  db dedupe${values["dry-run"] ? " --dry-run" : ""} with a ${fmt(heapMiB)} MiB heap: failed (exit ${child.status ?? child.signal}): ${why.trim().slice(0, 200)}`,
    );
    return;
  }
  const r = JSON.parse(last) as { removed: number; seconds: number; maxRssMiB: number };
  console.log(
    `  db dedupe${values["dry-run"] ? " --dry-run" : ""}: ${fmt(r.removed)} point(s) ${values["dry-run"] ? "to remove" : "removed"} in ${r.seconds.toFixed(1)} s; peak RSS of its process ${fmt(r.maxRssMiB)} MiB (load average ${loadavg()[0]!.toFixed(1)})`,
  );
}

console.log(
  `node ${process.version}, ${cpus().length} CPU(s), load average ${loadavg()[0]!.toFixed(1)}`,
);
const dir = mkdtempSync(join(tmpdir(), "infermark-dedupe-memory-"));
try {
  const sqlite = join(dir, "dedupe.db");
  console.log(`SQLite, ${fmt(Number(values.points))} points:`);
  await fill(sqlite, Number(values.points));
  dedupeInChild(sqlite);
  if (values.pg) {
    await withPgSchema(values.pg, `dedupe_memory_${process.pid}`, async (url) => {
      console.log(`PostgreSQL, ${fmt(Number(values["pg-points"]))} points:`);
      await fill(url, Number(values["pg-points"]));
      dedupeInChild(url);
    });
  } else console.log("PostgreSQL: skipped (give --pg URL or set INFERMARK_TEST_PG_URL)");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
