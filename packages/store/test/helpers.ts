import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { POINT_SCHEMA_ID, type PointResult } from "@infermark/core";
import { Migrator } from "kysely";
import pg from "pg";
import { MIGRATIONS, type Store } from "../src/index.js";

/** The PostgreSQL server the suite runs against (see .ci/setup-postgres.sh). */
export const PG_URL = process.env.INFERMARK_TEST_PG_URL;
const REQUIRED = process.env.INFERMARK_SYSTEM_TESTS === "required";

/** A database the suite can open: a fresh SQLite file, or a fresh schema in the test PostgreSQL. */
export interface TestDatabase {
  url: string;
  cleanup(): Promise<void>;
}

export interface DialectCase {
  name: "sqlite" | "postgres";
  /** Why the case is skipped, or undefined when it runs. */
  skip?: string;
  create(): Promise<TestDatabase>;
}

let counter = 0;

/** The dialects every store test loops over; PostgreSQL skips with a message when no server is configured. */
export const DIALECTS: DialectCase[] = [
  {
    name: "sqlite",
    async create() {
      const dir = mkdtempSync(join(tmpdir(), "infermark-store-"));
      return {
        url: join(dir, "test.db"),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: "postgres",
    skip:
      PG_URL || REQUIRED
        ? undefined
        : "INFERMARK_TEST_PG_URL is not set (run .ci/setup-postgres.sh and export the URL it prints)",
    async create() {
      if (!PG_URL)
        throw new Error(
          "INFERMARK_SYSTEM_TESTS=required but INFERMARK_TEST_PG_URL is not set: PostgreSQL tests cannot run",
        );
      const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const url = new URL(PG_URL);
      url.searchParams.set("options", `-c search_path=${schema}`);
      return {
        url: url.toString(),
        cleanup: async () => {
          const c = new pg.Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`DROP SCHEMA ${schema} CASCADE`);
          await c.end();
        },
      };
    },
  },
];

/** Deep-partial overrides for `makePoint`. */
export interface PointOverrides {
  model?: string;
  hardware?: string;
  framework?: string;
  precision?: string;
  spec?: string;
  disaggregated?: boolean;
  isl?: number;
  osl?: number;
  concurrency?: number;
  date?: string;
  source?: PointResult["run"]["source"];
  tputPerGpu?: number;
  valid?: boolean;
  gpus?: number;
  /** The server's container image (none by default). */
  image?: string;
  /** The engine's version as the server gave it (none by default). */
  frameworkVersion?: string;
}

/** A complete, valid PointResult with hand-picked values. */
export function makePoint(o: PointOverrides = {}): PointResult {
  const gpus = o.gpus ?? 8;
  const disaggregated = o.disaggregated ?? false;
  return {
    schema: POINT_SCHEMA_ID,
    run: {
      source: o.source ?? "measured",
      date: o.date ?? "2026-01-10",
      toolVersion: "0.1.0",
      host: "ci-1",
    },
    config: {
      model: o.model ?? "dsr1",
      hardware: o.hardware ?? "h200",
      framework: o.framework ?? "sglang",
      precision: o.precision ?? "fp8",
      specDecoding: { method: o.spec ?? "none" },
      topology: {
        disaggregated,
        multinode: false,
        gpus,
        prefillGpus: gpus,
        decodeGpus: gpus,
      },
      workload: { kind: "random", isl: o.isl ?? 1024, osl: o.osl ?? 1024 },
      load: { mode: "concurrency", concurrency: o.concurrency ?? 8 },
      ...(o.image ? { image: o.image } : {}),
      ...(o.frameworkVersion ? { frameworkVersion: o.frameworkVersion } : {}),
    },
    metrics: {
      tputPerGpu: o.tputPerGpu ?? 1000,
      inputTputPerGpu: 500,
      outputTputPerGpu: 500,
      intvty: { median: 50, p99: 40 },
      ttft: { median: 0.2, p99: 0.5 },
      tpot: { median: 0.02, p99: 0.025 },
      e2el: { median: 20, p99: 25 },
    },
    errors: { total: 0, requests: 100, rate: 0, byCategory: {} },
    validity: { valid: o.valid ?? true, reasons: o.valid === false ? ["error rate above 5%"] : [] },
  };
}

/** The ingest log in order: [path, status, reason, inserted, unchanged] per row. */
export async function ingestLog(
  store: Store,
): Promise<[string | null, string, string | null, number, number][]> {
  const rows = await store.db
    .selectFrom("ingest_log")
    .select(["path", "status", "reason", "inserted", "unchanged"])
    .orderBy("at")
    .execute();
  return rows.map((r) => [r.path, r.status, r.reason, Number(r.inserted), Number(r.unchanged)]);
}

/** The schema a PostgreSQL test URL writes to (its search_path), where the migration tables are. */
export const schemaOf = (url: string) =>
  /search_path=(\w+)/.exec(new URL(url).searchParams.get("options") ?? "")?.[1];

/**
 * Migrates `store` (opened on `url`) back down to the migration `to`, as a store an older infermark left; resolves
 * with the migrator's result.
 * @example expect((await migrateDownTo(store, target.url, "0002-point-groups")).error).toBeUndefined()
 */
export function migrateDownTo(store: Store, url: string, to: string) {
  const schema = store.dialect === "postgres" ? schemaOf(url) : undefined;
  return new Migrator({
    db: store.db,
    provider: { getMigrations: async () => MIGRATIONS },
    ...(schema ? { migrationTableSchema: schema } : {}),
  }).migrateTo(to);
}
