import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { PointResult } from "@infermark/core";
import { MIGRATIONS, openStore, pointId, type Store } from "@infermark/store";
import Database from "better-sqlite3";
import { Migrator, sql } from "kysely";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makePoint } from "../../store/test/helpers.js";
import { importInferencex } from "../src/commands/import.js";
import { ingestFiles } from "../src/commands/ingest.js";
import { CLI_COMMAND, type CliResult, pointJson, REPO_ROOT } from "./helpers.js";
import { STORE_TARGETS, type StoreTarget } from "./store-targets.js";

// Several CI runners writing one store at the same moment: real CLI processes from source, started so that their
// work begins together (start-together.ts), over SQLite and PostgreSQL.

const START_TOGETHER = pathToFileURL(
  fileURLToPath(new URL("./start-together.ts", import.meta.url)),
).href;
const LATEST = join(REPO_ROOT, "examples/data/inferencex/benchmarks.json");

/**
 * Runs CLI commands (one argv each) as child processes whose work begins at the same moment: each loads the CLI,
 * then waits until all are loaded. Their results, in the order given.
 */
async function together(
  commands: readonly (readonly string[])[],
  env: Record<string, string> = {},
): Promise<CliResult[]> {
  const gate = await mkdtemp(join(tmpdir(), "infermark-gate-"));
  const [node, ...cli] = CLI_COMMAND;
  let exited = 0;
  const results = commands.map(
    (args) =>
      new Promise<CliResult>((resolve, reject) => {
        const child = spawn(
          node!,
          [...cli.slice(0, -1), "--import", START_TOGETHER, cli.at(-1)!, ...args],
          {
            cwd: REPO_ROOT,
            env: { ...process.env, NO_COLOR: "1", INFERMARK_TEST_START_DIR: gate, ...env },
          },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => {
          stdout += d;
        });
        child.stderr.on("data", (d) => {
          stderr += d;
        });
        child.on("error", reject);
        child.on("close", (code) => {
          exited++;
          resolve({ code, stdout, stderr });
        });
      }),
  );
  try {
    // all loaded (or one ended early, which the results show): go
    while (readdirSync(gate).length < commands.length && exited === 0)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(join(gate, "go"), "");
    return await Promise.all(results);
  } finally {
    await rm(gate, { recursive: true, force: true });
  }
}

/** A JSONL file of measured points at the given concurrencies (two configurations: fp8 and fp4). */
async function pointsFile(path: string, concurrencies: readonly number[]): Promise<string> {
  const lines = concurrencies.map((c) => {
    const p = pointJson(c);
    p.config.precision = c % 2 === 0 ? "fp8" : "fp4";
    return JSON.stringify(p);
  });
  await writeFile(path, `${lines.join("\n")}\n`);
  return path;
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * What a store holds, and whether what it keeps at ingest agrees with its points: the group counts as counted from
 * the points, the latest point of each level and source.
 */
async function summary(store: Store) {
  const n = async (query: string) =>
    Number((await sql<{ n: string }>`${sql.raw(query)}`.execute(store.db)).rows[0]!.n);
  const keys =
    "model, isl, osl, workload, hardware, framework, precision, spec_method, disaggregated, source, valid";
  const groupsOf = async (query: string) =>
    (await sql<Record<string, unknown>>`${sql.raw(query)}`.execute(store.db)).rows
      .map((r) => JSON.stringify(Object.values(r).map(String)))
      .sort();
  const levels = await n(
    "select count(*) as n from (select distinct level_hash, source from points) levels",
  );
  const newestKept = await n(
    `select count(*) as n from latest_points l join (select level_hash, source, id,
       row_number() over (partition by level_hash, source order by date desc, id desc) as rank from points) p
     on p.level_hash = l.level_hash and p.source = l.source and p.rank = 1 and p.id = l.point_id`,
  );
  return {
    points: await n("select count(*) as n from points"),
    runs: await n("select count(*) as n from runs"),
    configurations: await n("select count(*) as n from configurations"),
    migrations: await n("select count(*) as n from kysely_migration"),
    logged: await n("select count(*) as n from ingest_log where status = 'ok'"),
    groupsAgree:
      JSON.stringify(
        await groupsOf(`select ${keys}, points, first_day, last_day from point_groups`),
      ) ===
      JSON.stringify(
        await groupsOf(
          `select ${keys}, count(*) as points, min(day) as first_day, max(day) as last_day from points group by ${keys}`,
        ),
      ),
    latestAgree:
      newestKept === levels && (await n("select count(*) as n from latest_points")) === levels,
  };
}

async function summaryOf(url: string) {
  const store = await openStore(url);
  try {
    return await summary(store);
  } finally {
    await store.close();
  }
}

/** The migration table's schema of a PostgreSQL URL (its search_path), as the store names it to the migrator. */
const schemaOf = (url: string) =>
  url.startsWith("postgres")
    ? /search_path=(\w+)/.exec(new URL(url).searchParams.get("options")!)?.[1]
    : undefined;

for (const kind of STORE_TARGETS) {
  if (kind.skip) console.warn(`store concurrency tests over ${kind.name} skipped: ${kind.skip}`);
  describe.skipIf(kind.skip)(`CLI processes writing one ${kind.name} store at once`, () => {
    let target: StoreTarget;
    let dir: string;
    beforeEach(async () => {
      target = await kind.create();
      dir = await mkdtemp(join(tmpdir(), "infermark-concurrent-"));
    });
    afterEach(async () => {
      await target.cleanup();
      await rm(dir, { recursive: true, force: true });
    });

    it("a new store: the processes that create it, migrate it and ingest into it at once all succeed, nothing lost or doubled", async () => {
      const a = await pointsFile(join(dir, "a.jsonl"), range(1, 150));
      // overlapping, in the other order
      const b = await pointsFile(join(dir, "b.jsonl"), range(101, 250).reverse());
      const db = ["--db", target.url];
      const results = await together([
        ["ingest", a, ...db],
        ["ingest", b, ...db],
        ["import", "inferencex", LATEST, ...db],
        ["ingest", b, ...db],
      ]);
      // before SQLite's migrations ran in one write transaction, processes that opened a new file together all
      // migrated it: `infermark: database migration 0001-initial failed: table "runs" already exists`
      expect(results.map((r) => [r.code, r.stderr])).toEqual([
        [0, ""],
        [0, ""],
        [0, ""],
        [0, ""],
      ]);
      expect(results.map((r) => r.stdout.trim().split("\n").at(-1))).toEqual([
        expect.stringMatching(
          /^1 file\(s\): \d+ inserted, \d+ unchanged, 0 rejected, 0 row\(s\) skipped$/,
        ),
        expect.stringMatching(
          /^1 file\(s\): \d+ inserted, \d+ unchanged, 0 rejected, 0 row\(s\) skipped$/,
        ),
        "1 file(s): 435 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped",
        expect.stringMatching(
          /^1 file\(s\): \d+ inserted, \d+ unchanged, 0 rejected, 0 row\(s\) skipped$/,
        ),
      ]);
      const inserted = results
        .map((r) => Number(/: (\d+) inserted/.exec(r.stdout.trim().split("\n").at(-1)!)![1]))
        .reduce((s, x) => s + x, 0);
      expect(inserted).toBe(250 + 435);
      // the same as the four, one after another, store in a store of their own
      const alone = await kind.create();
      try {
        await ingestFiles([a], { db: alone.url });
        await ingestFiles([b], { db: alone.url });
        await importInferencex([LATEST], { db: alone.url });
        await ingestFiles([b], { db: alone.url });
        const [together, oneByOne] = [await summaryOf(target.url), await summaryOf(alone.url)];
        expect(together).toEqual(oneByOne);
        expect(together).toMatchObject({ points: 685, migrations: 7, logged: 4 });
        expect([together.groupsAgree, together.latestAgree]).toEqual([true, true]);
      } finally {
        await alone.cleanup();
      }
    });

    it("a store of an older version, opened by several processes at once: migrated once, its points kept and repaired", async () => {
      // the importer's GB200 row of 2025-12 as stored before 0005 (36 + 36 GPUs, pools of 0 workers), and a point
      // with the engine's version, whose release 0006 reads into the `software` column
      const pool = { tp: 36, ep: 1, pp: 1, dpAttention: false, workers: 0, gpus: 36 };
      const old = makePoint({ source: "imported", hardware: "gb200", concurrency: 4 });
      old.config.topology = {
        disaggregated: true,
        multinode: false,
        gpus: 72,
        prefillGpus: 36,
        decodeGpus: 36,
        prefill: pool,
        decode: pool,
      };
      Object.assign(old.metrics, {
        tputPerGpu: 32.66740863189287,
        inputTputPerGpu: 146.43053093445712,
        outputTputPerGpu: 18.44701834407234,
      });
      const versioned = makePoint({ concurrency: 8, frameworkVersion: "v0.9.1" });
      const repaired: PointResult = structuredClone(old);
      repaired.config.topology = {
        disaggregated: true,
        multinode: false,
        gpus: 36,
        prefillGpus: 4,
        decodeGpus: 32,
      };
      const before = await openStore(target.url);
      try {
        await before.ingest([old, versioned], { path: "old.jsonl" });
        // enough points that migrating takes a while (0006 reads every point), as it does on a real store
        await before.ingest(
          range(1, 20_000).map((c) => makePoint({ concurrency: c, precision: "fp4" })),
          { path: "many.jsonl" },
        );
        // back to the version before 0005 (0006's down drops `software`; 0005's leaves the points as they are)
        const schema = schemaOf(target.url);
        const down = await new Migrator({
          db: before.db,
          provider: { getMigrations: async () => MIGRATIONS },
          ...(schema ? { migrationTableSchema: schema } : {}),
        }).migrateTo("0004-dataset-identity");
        expect(down.error).toBeUndefined();
      } finally {
        await before.close();
      }
      const a = await pointsFile(join(dir, "a.jsonl"), range(1, 100));
      const db = ["--db", target.url];
      const exported = join(dir, "export.json");
      const results = await together([
        ["ingest", a, ...db],
        ["ingest", a, ...db],
        ["export", "--format", "json", "-o", exported, ...db],
      ]);
      // before: `database migration 0005-total-gpus-on-both-sides failed: ...` or `0006-software-release failed:
      // duplicate column name: software` for the processes that ran them a second time
      expect(results.map((r) => [r.code, r.stderr.trim().split("\n").at(-1)])).toEqual([
        [0, ""],
        [0, ""],
        [0, expect.stringMatching(/^\d+ point\(s\) written to /)],
      ]);
      const store = await openStore(target.url);
      try {
        expect(await summary(store)).toMatchObject({
          points: 20_102,
          migrations: 7,
          groupsAgree: true,
          latestAgree: true,
        });
        const rows = await store.db
          .selectFrom("points")
          .select(["id", "gpus", "software"])
          .where("id", "in", [pointId(old), pointId(repaired), pointId(versioned)])
          .orderBy("gpus")
          .execute();
        expect(rows).toEqual([
          { id: pointId(versioned), gpus: 8, software: "0.9.1" },
          { id: pointId(repaired), gpus: 36, software: null },
        ]);
      } finally {
        await store.close();
      }
    });

    if (kind.name === "sqlite")
      it("an ingest waits for another process's long write transaction instead of failing after 5 s", async () => {
        const a = await pointsFile(join(dir, "a.jsonl"), range(1, 10));
        await (await openStore(target.url)).close();
        const other = new Database(target.url);
        try {
          const gate = await mkdtemp(join(dir, "gate-"));
          const [node, ...cli] = CLI_COMMAND;
          const child = spawn(
            node!,
            [
              ...cli.slice(0, -1),
              "--import",
              START_TOGETHER,
              cli.at(-1)!,
              "ingest",
              a,
              "--db",
              target.url,
            ],
            { cwd: REPO_ROOT, env: { ...process.env, INFERMARK_TEST_START_DIR: gate } },
          );
          let out = "";
          child.stdout.on("data", (d) => {
            out += d;
          });
          child.stderr.on("data", (d) => {
            out += d;
          });
          const done = new Promise<number | null>((resolve) => child.on("close", resolve));
          while (readdirSync(gate).length === 0 && child.exitCode === null)
            await new Promise((resolve) => setTimeout(resolve, 20));
          // another process's transaction (a large ingest, a level's request records, db dedupe) holds the write
          // lock for 7 s from the moment the ingest begins: it used to give up after SQLite's 5 s busy timeout
          other.exec("BEGIN IMMEDIATE");
          await writeFile(join(gate, "go"), "");
          await new Promise((resolve) => setTimeout(resolve, 7_000));
          other.exec("COMMIT");
          expect([await done, out.trim().split("\n").at(-1)]).toEqual([
            0,
            "1 file(s): 10 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped",
          ]);
        } finally {
          other.close();
        }
      });

    if (kind.name === "postgres")
      it("the server ending the connection mid-ingest: that file rejected in one line, nothing of it written, the next file stored", async () => {
        const application = `infermark-cli-test-${process.pid}`;
        const url = new URL(target.url);
        url.searchParams.set("application_name", application);
        await (await openStore(url.toString())).close();
        const large = await pointsFile(join(dir, "large.jsonl"), range(1, 20_000));
        const small = await pointsFile(join(dir, "small.jsonl"), range(30_001, 30_003));
        const admin = new pg.Client({ connectionString: target.url });
        await admin.connect();
        try {
          const run = together([["ingest", large, small, "--db", url.toString()]]);
          let terminated = 0;
          for (let tries = 0; terminated === 0 && tries < 6_000; tries++) {
            const { rows } = await admin.query(
              `select pg_terminate_backend(pid) from pg_stat_activity
               where application_name = $1 and state = 'active' and query like 'insert into "points"%'`,
              [application],
            );
            terminated = rows.length;
            if (terminated === 0) await new Promise((resolve) => setTimeout(resolve, 10));
          }
          const [r] = await run;
          expect(terminated).toBe(1);
          // before the store listened for a checked-out connection's errors, the process ended with pg's stack
          // trace (`Error: Connection terminated unexpectedly ... Unhandled 'error' event`)
          expect([r!.code, r!.stdout.trim().split("\n"), r!.stderr]).toEqual([
            1,
            [
              `rejected ${large}: database write failed, nothing written: terminating connection due to administrator command`,
              `ok       ${small}: 3 inserted, 0 unchanged`,
              "2 file(s): 3 inserted, 0 unchanged, 1 rejected, 0 row(s) skipped",
            ],
            "",
          ]);
          // the URL's password is in no message
          const credentials = `${url.username}:${url.password}@`;
          expect(`${r!.stdout}${r!.stderr}`.includes(credentials)).toBe(false);
          const store = await openStore(target.url);
          try {
            expect(await summary(store)).toMatchObject({
              points: 3,
              configurations: 2,
              groupsAgree: true,
              latestAgree: true,
            });
            const log = await store.db
              .selectFrom("ingest_log")
              .select(["path", "status"])
              .orderBy("at")
              .execute();
            // (the small file's ingest may commit before the large one's rejection is logged)
            expect(log.map((l) => `${l.path} ${l.status}`).sort()).toEqual([
              `${large} rejected`,
              `${small} ok`,
            ]);
          } finally {
            await store.close();
          }
        } finally {
          await admin.end();
        }
      });
  });
}
