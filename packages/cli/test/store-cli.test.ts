import { execFileSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PointResult } from "@infermark/core";
import { openStore, storeLocation } from "@infermark/store";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { RTX6000_OVERRIDE } from "../../core/test/fixtures/rtx6000-override.js";
import { makeReadOnly } from "../../store/test/read-only-folder.js";
import { main } from "../src/cli.js";
import { contextFromPath, importInferencex } from "../src/commands/import.js";
import { parseCsv } from "../src/commands/import-csv.js";
import { ingestOutcomes } from "../src/sweep/ingest-results.js";
import { STORE_TARGETS, type StoreTarget } from "./store-targets.js";

const FIX = fileURLToPath(new URL("./fixtures/store/", import.meta.url));
const fx = (p: string) => join(FIX, p);

/** Runs the CLI in-process; returns stdout, stderr and the exit code. */
async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a) => void out.push(a.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...a) => void err.push(a.join(" ")));
  const write = vi
    .spyOn(process.stdout, "write")
    .mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
  process.exitCode = 0;
  try {
    await main(["node", "infermark", ...args]);
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: out.join("\n"), err: err.join("\n"), code };
}

describe("store CLI", () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "infermark-cli-store-"));
    db = join(dir, "t.db");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("ingests files, says what is unchanged, rejects bad files whole and goes on", async () => {
    const first = await cli("ingest", fx("points"), "--db", db);
    expect(first.code).toBe(1);
    const lines = first.out.split("\n");
    expect(lines[0]).toMatch(/^rejected .*bad-schema\.json: point 2: config\.topology\.gpus: /);
    expect(lines[1]).toBe(`ok       ${fx("points/good.jsonl")}: 2 inserted, 0 unchanged`);
    expect(lines[2]).toMatch(/^rejected .*malformed\.json: malformed JSON/);
    expect(lines[3]).toBe(`ok       ${fx("points/single.json")}: 1 inserted, 0 unchanged`);
    expect(lines[4]).toBe("4 file(s): 3 inserted, 0 unchanged, 2 rejected, 0 row(s) skipped");

    const again = await cli(
      "ingest",
      fx("points/good.jsonl"),
      fx("points/single.json"),
      "--db",
      db,
    );
    expect(again.code).toBe(0);
    expect(again.out.split("\n").at(-1)).toBe(
      "2 file(s): 0 inserted, 3 unchanged, 0 rejected, 0 row(s) skipped",
    );

    const store = await openStore(db);
    // the first point of bad-schema.json (concurrency 32) must not have gone in
    expect(
      (await store.queryPoints({})).map((s) => s.point.config.load.concurrency).sort(),
    ).toEqual([4, 8, 8]);
    const log = await store.db
      .selectFrom("ingest_log")
      .select(["status"])
      .where("status", "=", "rejected")
      .execute();
    expect(log.length).toBe(2);
    await store.close();
  });

  it("rejects a level whose request records file is bad, point and records together", async () => {
    const level = join(dir, "run");
    mkdirSync(level);
    writeFileSync(join(level, "point-c4.json"), readFileSync(fx("points/single.json")));
    // a good record, a blank line, a bad record: the message names the file's line, not the record's index
    writeFileSync(
      join(level, "requests-c4.jsonl"),
      `${JSON.stringify({ index: 0, tSched: 0, tSend: 0 })}\n\n${JSON.stringify({ id: "r1", sendS: "soon" })}\n`,
    );
    const r = await cli("ingest", level, "--db", db);
    expect(r.code).toBe(1);
    const [line, total] = r.out.split("\n");
    expect(line).toMatch(
      new RegExp(
        `^rejected ${join(level, "point-c4.json")}: ${join(level, "requests-c4.jsonl")}: line 3: `,
      ),
    );
    expect(total).toBe("1 file(s): 0 inserted, 0 unchanged, 1 rejected, 0 row(s) skipped");
    const store = await openStore(db);
    expect(await store.queryPoints({})).toEqual([]);
    await store.close();

    const alone = await cli("ingest", join(level, "requests-c4.jsonl"), "--db", db);
    expect(alone.code).toBe(1);
    expect(alone.out.split("\n")[0]).toBe(
      `rejected ${join(level, "requests-c4.jsonl")}: request records without their point file (point-c4.json) beside them: ingest the folder, or both files`,
    );
  });

  it("rejects a level's records file that holds two runs' records (an index twice), point and records together", async () => {
    const level = join(dir, "run-twice");
    mkdirSync(level);
    writeFileSync(join(level, "point-c4.json"), readFileSync(fx("points/single.json")));
    const record = (index: number) => JSON.stringify({ index, tSched: 0, tSend: 0 });
    writeFileSync(
      join(level, "requests-c4.jsonl"),
      [record(0), record(1), record(0), record(1), ""].join("\n"),
    );
    const r = await cli("ingest", level, "--db", db);
    expect(r.code).toBe(1);
    expect(r.out.split("\n")[0]).toBe(
      `rejected ${join(level, "point-c4.json")}: ${join(level, "requests-c4.jsonl")}: records 1 and 3 (in file order) both have index 0: the file holds records of more than one run or level: one level's records go beside its point`,
    );
    const store = await openStore(db);
    expect(await store.queryPoints({})).toEqual([]);
    await store.close();
  });

  it("rejects records that are not its point's (another count of measured requests: an earlier run's, left beside it)", async () => {
    const level = join(dir, "other-run");
    mkdirSync(level);
    // the point counts 100 measured requests; the file holds 2 warm-up and 5 measured ones
    writeFileSync(join(level, "point-c4.json"), readFileSync(fx("points/single.json")));
    const record = (index: number, warmup: boolean) =>
      JSON.stringify({ index, warmup, tSched: 0, tSend: 0 });
    const lines = [0, 1].map((i) => record(i, true));
    for (let i = 2; i < 7; i++) lines.push(record(i, false));
    writeFileSync(join(level, "requests-c4.jsonl"), `${lines.join("\n")}\n`);
    const r = await cli("ingest", level, "--db", db);
    expect(r.code).toBe(1);
    expect(r.out.split("\n")[0]).toBe(
      `rejected ${join(level, "point-c4.json")}: ${join(level, "requests-c4.jsonl")}: 5 measured requests' records, where the point counts 100: not the records of point-c4.json`,
    );
    const store = await openStore(db);
    expect(await store.queryPoints({})).toEqual([]);
    await store.close();
  });

  it("names the line of a bad point in JSONL (blank lines counted) and the element of a JSON array", async () => {
    const good = readFileSync(fx("points/good.jsonl"), "utf8").trim().split("\n");
    const bad = JSON.parse(good[0]!);
    bad.config.workload.isl = "1k";
    writeFileSync(join(dir, "run.jsonl"), `${good[0]}\n\n${good[1]}\n${JSON.stringify(bad)}\n`);
    writeFileSync(join(dir, "run.json"), JSON.stringify([JSON.parse(good[0]!), bad]));
    const r = await cli("ingest", join(dir, "run.json"), join(dir, "run.jsonl"), "--db", db);
    expect(r.code).toBe(1);
    const expected = "config.workload.isl: Invalid input: expected number, received string";
    expect(r.out.split("\n")).toEqual([
      `rejected ${join(dir, "run.json")}: point 2: ${expected}`,
      `rejected ${join(dir, "run.jsonl")}: line 4: ${expected}`,
      "2 file(s): 0 inserted, 0 unchanged, 2 rejected, 0 row(s) skipped",
    ]);
  });

  it("counts a point repeated in its file as repeated, not as unchanged, in the lines and in --json", async () => {
    const [a, b] = readFileSync(fx("points/good.jsonl"), "utf8").trim().split("\n");
    const file = join(dir, "twice.jsonl");
    writeFileSync(file, `${a}\n${a}\n${b}\n${a}\n`);
    const r = await cli("ingest", file, "--db", db);
    // it said `2 inserted, 2 unchanged` of a new store
    expect([r.code, ...r.out.split("\n")]).toEqual([
      0,
      `ok       ${file}: 2 inserted, 0 unchanged, 2 repeated`,
      "1 file(s): 2 inserted, 0 unchanged, 2 repeated, 0 rejected, 0 row(s) skipped",
    ]);
    const again = await cli("ingest", file, "--db", db, "--json");
    expect(JSON.parse(again.out)).toEqual([
      { path: file, status: "ok", inserted: 0, unchanged: 2, repeated: 2, skipped: [] },
    ]);
  });

  it("says an empty file holds no points, whatever its format", async () => {
    const files = ["empty.json", "empty.yaml", "empty.jsonl"].map((name) => join(dir, name));
    for (const f of files) writeFileSync(f, "");
    const r = await cli("ingest", ...files, "--db", db);
    // an empty .json file was "malformed JSON (Unexpected end of JSON input)", an empty .yaml one
    // "(root): Invalid input: expected object, received null"
    expect(r.out.split("\n")).toEqual([
      `rejected ${files[0]}: no points in file: it is empty`,
      `rejected ${files[1]}: no points in file: it is empty`,
      `rejected ${files[2]}: no points in file: it is empty`,
      "3 file(s): 0 inserted, 0 unchanged, 3 rejected, 0 row(s) skipped",
    ]);
  });

  it("reports a missing path and still ingests the others", async () => {
    const r = await cli("ingest", join(dir, "nope.json"), fx("points/single.json"), "--db", db);
    expect(r.code).toBe(1);
    expect(r.out.split("\n")[0]).toBe(`rejected ${join(dir, "nope.json")}: no such file or folder`);
    expect(r.out).toContain("1 inserted");
  });

  it("reports a link to nothing inside a folder as that one file, and still ingests the folder's others", async () => {
    const folder = join(dir, "with-dangling");
    mkdirSync(folder);
    writeFileSync(join(folder, "a.json"), readFileSync(fx("points/single.json")));
    symlinkSync(join(dir, "gone.json"), join(folder, "b.json"));
    const r = await cli("ingest", folder, "--db", db);
    // the whole folder was refused ("no such file or folder"), a.json with it
    expect([r.code, r.out.split("\n")]).toEqual([
      1,
      [
        expect.stringMatching(/^(ok|unchanged) .*a\.json: /),
        `rejected ${join(folder, "b.json")}: no such file`,
        expect.stringMatching(/^2 file\(s\): .* 1 rejected/),
      ],
    ]);
  });

  it("leaves a sweep's failure records out of a results folder, with a line each, and exits 0", async () => {
    const server = join(dir, "results", "dsr1-h200-vllm-fp8-tp8-1k1k");
    mkdirSync(server, { recursive: true });
    writeFileSync(join(server, "p-c4.json"), readFileSync(fx("points/single.json")));
    const failure = join(server, "p-c8.failed.json");
    writeFileSync(
      failure,
      JSON.stringify({ fingerprint: "0123456789abcdef", point: "p-c8", reason: "server exited" }),
    );
    const r = await cli("ingest", join(dir, "results"), "--db", db);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")).toEqual([
      `skipped  ${failure}: a sweep's failure record: the point was not measured (infermark sweep retries it)`,
      `ok       ${join(server, "p-c4.json")}: 1 inserted, 0 unchanged`,
      "2 file(s): 1 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped, 1 failure record(s) left out",
    ]);
  });

  it("fails when the paths hold no result file at all (a run that wrote nothing)", async () => {
    const empty = join(dir, "empty");
    mkdirSync(empty);
    writeFileSync(join(empty, "notes.txt"), "not a result");
    const r = await cli("ingest", empty, "--db", db);
    expect(r.code).toBe(1);
    expect(r.err).toBe("infermark: nothing to store: the paths given hold no result files");
    expect(r.out).toBe("0 file(s): 0 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped");
  });

  it("fails with one line when files were read but no point was stored (failure records, rejected files)", async () => {
    const results = join(dir, "results");
    mkdirSync(results);
    for (const point of ["p-c4", "p-c8"])
      writeFileSync(
        join(results, `${point}.failed.json`),
        JSON.stringify({ fingerprint: "0123456789abcdef", point, reason: "server exited" }),
      );
    const failed = await cli("ingest", results, "--db", db);
    expect([failed.code, failed.out.split("\n").at(-1), failed.err]).toEqual([
      1,
      "2 file(s): 0 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped, 2 failure record(s) left out",
      "infermark: nothing ingested: 2 file(s) read, no point stored; main reasons: 2 file(s): a sweep's failure record, not a point",
    ]);
    const empty = join(dir, "empty.json");
    writeFileSync(empty, "[]");
    const bad = await cli("ingest", results, empty, "--db", db);
    expect([bad.code, bad.err]).toEqual([
      1,
      "infermark: nothing ingested: 3 file(s) read, no point stored; main reasons: 2 file(s): a sweep's failure record, not a point; 1 file(s) rejected: no points in file",
    ]);
  });

  it("refuses a database file that is not SQLite with one line and exit 1", async () => {
    writeFileSync(db, "not a database");
    const r = await cli("ingest", fx("points/single.json"), "--db", db);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `infermark: ${db} is not an SQLite database; give another --db path or remove the file`,
    );
    expect(readFileSync(db, "utf8")).toBe("not a database");
  });

  it("refuses an empty --db (an unset variable in a script) instead of writing to the default database", async () => {
    // the default it used to fall back to, kept in this test's folder
    vi.stubEnv("INFERMARK_DB", db);
    try {
      for (const args of [
        ["ingest", fx("points/single.json")],
        ["export", "--format", "csv"],
        // the analyses and the sweep went on with the default database
        ["frontier"],
        [
          "sweep",
          join(dirname(fileURLToPath(import.meta.url)), "../../../examples/quickstart.yaml"),
        ],
      ]) {
        for (const empty of [" ", ""]) {
          const r = await cli(...args, "--db", empty);
          expect([r.code, r.out, r.err], `${args[0]} --db "${empty}"`).toEqual([
            1,
            "",
            "infermark: --db is empty: give an SQLite file path or a postgres:// URL, or leave --db out for $INFERMARK_DB, else infermark.db",
          ]);
        }
      }
      // it stored into a temporary database that SQLite deletes on close, and said "1 inserted"
      const noFile = await cli("ingest", fx("points/single.json"), "--db", "sqlite:");
      expect([noFile.code, noFile.out, noFile.err]).toEqual([
        1,
        "",
        'infermark: "sqlite:" names no SQLite file: give its path after sqlite:, or a postgres:// URL',
      ]);
      expect(existsSync(db)).toBe(false);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("commands that only read refuse a database that does not exist, and create nothing", async () => {
    for (const args of [
      ["frontier", "--isl", "1024", "--osl", "1024"],
      ["export", "--format", "csv"],
      ["cost", "--at", "40"],
    ]) {
      const r = await cli(...args, "--db", db);
      expect(r.code, args[0]).toBe(1);
      expect(r.err).toBe(
        `infermark: no database at ${db}: store points first (infermark ingest, infermark import inferencex, npm start) or name one with --db`,
      );
      expect(existsSync(db)).toBe(false);
    }
    // ingest still creates it
    expect((await cli("ingest", fx("points/single.json"), "--db", db)).code).toBe(0);
    expect((await cli("export", "--format", "csv", "--db", db)).out.trim().split("\n").length).toBe(
      2,
    );
  });

  it("db dedupe refuses a database that does not exist with one line, and creates none", async () => {
    const r = await cli("db", "dedupe", "--db", db);
    expect([r.code, r.out, r.err]).toEqual([
      1,
      "",
      `infermark: no database at ${db}: store points first (infermark ingest, infermark import inferencex, npm start) or name one with --db`,
    ]);
    expect(existsSync(db)).toBe(false);
  });

  it("reads a store in a folder it cannot write (frontier, export, report) and refuses writes with one line", async (ctx) => {
    const folder = join(dir, "ro");
    mkdirSync(folder);
    const ro = join(folder, "t.db");
    expect((await cli("ingest", fx("points/good.jsonl"), "--db", ro)).code).toBe(0);
    const frontier = await cli("frontier", "--db", ro);
    const csv = await cli("export", "--format", "csv", "--db", ro);
    // SQLite's WAL mode makes t.db-shm beside the file even to read; it failed: "attempt to write a readonly database"
    const readOnly = makeReadOnly(folder);
    try {
      if (readOnly.skip) ctx.skip(readOnly.skip);
      expect(await cli("frontier", "--db", ro)).toEqual(frontier);
      expect(await cli("export", "--format", "csv", "--db", ro)).toEqual(csv);
      const html = join(dir, "report.html");
      expect(await cli("report", ro, "-o", html)).toMatchObject({ code: 0 });
      expect(readFileSync(html, "utf8")).toContain("<html");
      const write = await cli("ingest", fx("points/single.json"), "--db", ro);
      expect([write.code, write.err]).toEqual([
        1,
        `infermark: database write failed, nothing written: the database is read-only for this user (opened read-only, as ${ro} or its folder is not writable): give it write access to the file and its folder, or open another database`,
      ]);
      // two files: the first's refused write is logged while the second is read, and still ends in one line
      const two = await cli(
        "ingest",
        fx("points/single.json"),
        fx("points/good.jsonl"),
        "--db",
        ro,
      );
      expect([two.code, two.err]).toEqual([1, write.err]);
      expect(readdirSync(folder)).toEqual(["t.db"]);
    } finally {
      readOnly.undo();
    }
  });

  it("refuses an unreachable PostgreSQL with one line", async () => {
    const r = await cli(
      "ingest",
      fx("points/single.json"),
      "--db",
      "postgres://u:pw@127.0.0.1:1/x",
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^infermark: cannot connect to PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x: /,
    );
    expect(r.err.split("\n").length).toBe(1);
  });

  it("imports old and new agg rows with skip reasons", async () => {
    const r = await cli(
      "import",
      "inferencex",
      fx("inferencex/agg-old"),
      fx("inferencex/agg-new"),
      "--db",
      db,
      "--date",
      "2025-12-20",
    );
    expect(r.code).toBe(0);
    expect(r.out.split("\n")).toEqual([
      `ok       ${fx("inferencex/agg-old/2025-10-06/agg_bmk.json")}: 2 inserted, 0 unchanged, 2 skipped`,
      '  skipped row 3: unknown hardware "a100-sxm": the catalog has no GPU "a100"; declare it with its figures under gpus: in a catalog override file (--catalog FILE or INFERMARK_CATALOG=FILE; docs/catalog.md)',
      "  skipped row 4: no isl/osl",
      // the made-up row 1 reports 4x what 16 requests in flight at 20.5 s E2EL can produce: kept, and said
      "  warning: 1 row(s) inconsistent: reported output throughput more than 4x from Little's law (concurrency x output tokens / E2EL; docs/metrics.md); imported as published, left out by sim validate",
      "  warning: row 1 (h200-nb sglang fp8 none 1024/1024 conc 16, 2025-12-20) reports 3202 output tok/s (400 per GPU x 8 decode GPUs), Little's law gives 799 (concurrency 16 x 1024 nominal output tokens / median E2EL 20.5 s): 4.006x",
      `ok       ${fx("inferencex/agg-new/agg_dsr1_8k1k_gb200_run_20123456789.json")}: 1 inserted, 0 unchanged`,
      "2 file(s): 3 inserted, 0 unchanged, 0 rejected, 2 row(s) skipped",
    ]);
    const store = await openStore(db);
    const pts = (await store.queryPoints({})).map((s) => s.point);
    await store.close();
    const gb = pts.find((p) => p.config.hardware === "gb200")!;
    expect(gb.run).toEqual({
      source: "imported",
      date: "2025-12-20",
      ciUrl: "https://github.com/SemiAnalysisAI/InferenceX/actions/runs/20123456789",
      importedFrom: "inferencex:agg",
    });
    expect(gb.config.framework).toBe("dynamo-trt");
    expect(gb.config.image).toBe("nvcr.io/nvidia/ai-dynamo/tensorrtllm-runtime:0.5.0");
    expect(gb.config.topology.gpus).toBe(16);
    // --date wins over the date in the path
    expect(pts.filter((p) => p.config.hardware === "h200").map((p) => p.run.date)).toEqual([
      "2025-12-20",
    ]);
  });

  it("imports rows as InferenceX's current writer builds them, says why it skips the others, and warns of models the catalog lacks", async () => {
    // agg-current: rows built from utils/process_result.py of SemiAnalysisAI/InferenceX (2026-08): cluster runner
    // labels, single-node pp, an aggregated multinode run (no decode side), power schema 2, sglang-disagg, an AgentX
    // row, a GPU the catalog lacks (RTX PRO 6000) and a model it lacks (dsv4)
    const file = fx("inferencex/agg-current/agg_bmk.json");
    const args = ["import", "inferencex", file, "--db", db, "--date", "2026-08-20"];
    const r = await cli(...args);
    const dsv4 =
      '  warning: model "dsv4" (2 rows) is not in the catalog: imported under that name, which the simulator does not know; declare it under models: in a catalog override file (--catalog FILE or INFERMARK_CATALOG=FILE; docs/catalog.md)';
    expect([r.code, ...r.out.split("\n")]).toEqual([
      0,
      `ok       ${file}: 6 inserted, 0 unchanged, 2 skipped`,
      "  skipped row 6: an agentic-coding row (AgentX trace replay): infermark imports InferenceX's fixed ISL/OSL rows",
      '  skipped row 7: unknown hardware "rtx6000pro-lat": the catalog has no GPU "rtx6000pro"; declare it with its figures under gpus: in a catalog override file (--catalog FILE or INFERMARK_CATALOG=FILE; docs/catalog.md)',
      dsv4,
      "1 file(s): 6 inserted, 0 unchanged, 0 rejected, 2 row(s) skipped",
    ]);
    const store = await openStore(db);
    const pts = (await store.queryPoints({})).map((s) => s.point);
    await store.close();
    const shape = pts
      .map((p) => {
        const t = p.config.topology;
        const pools = [t.prefill, t.decode].map((w) => w && `${w.workers}x tp${w.tp} pp${w.pp}`);
        return `${p.config.model} ${p.config.hardware} ${p.config.framework} ${t.disaggregated ? "disagg" : "agg"} ${t.gpus}=${t.prefillGpus}+${t.decodeGpus} ${pools.join(" / ")}`;
      })
      .sort();
    expect(shape).toEqual([
      "dsr1 b300 vllm agg 8=8+8 1x tp4 pp2 / 1x tp4 pp2",
      "dsr1 gb200 dynamo-vllm agg 16=16+16 1x tp8 pp2 / 1x tp8 pp2",
      "dsr1 gb300 dynamo-trt disagg 12=4+8 1x tp4 pp1 / 1x tp8 pp1",
      "dsr1 mi355x mori-sglang disagg 24=8+16 1x tp8 pp1 / 2x tp8 pp1",
      "dsv4 b200 sglang agg 8=8+8 1x tp8 pp1 / 1x tp8 pp1",
      "dsv4 b200 sglang agg 8=8+8 1x tp8 pp1 / 1x tp8 pp1",
    ]);
    expect(pts.find((p) => p.config.hardware === "gb300")!.energy).toMatchObject({
      jPerInputToken: 0.1875,
      jPerOutputToken: 2.60125,
    });
    // a second import inserts nothing; --json gives the same outcome, warnings included, as one JSON document
    const again = await cli(...args, "--json");
    expect(again.code).toBe(0);
    const [outcome] = JSON.parse(again.out) as {
      inserted: number;
      unchanged: number;
      skipped: { row: number }[];
      warnings?: string[];
    }[];
    expect([outcome!.inserted, outcome!.unchanged, outcome!.skipped.map((s) => s.row)]).toEqual([
      0,
      6,
      [6, 7],
    ]);
    expect(outcome!.warnings).toEqual([dsv4.replace("  warning: ", "")]);
  });

  it.each(["runs/123", "github.com/o/r/actions/runs/123", "ftp://example.com/run/1", ""])(
    "refuses --run-url %j that is not an http(s) URL, with one line, exit 2, nothing stored",
    async (url) => {
      const r = await cli(
        "import",
        "inferencex",
        fx("inferencex/agg-old"),
        "--run-url",
        url,
        "--db",
        db,
      );
      expect([r.code, r.out, r.err]).toEqual([
        2,
        "",
        `infermark: --run-url expects an http or https URL (https://github.com/OWNER/REPO/actions/runs/ID), got "${url}"`,
      ]);
      expect(existsSync(db)).toBe(false);
    },
  );

  it("takes the date from the path when --date is absent", async () => {
    await cli("import", "inferencex", fx("inferencex/agg-old"), "--db", db);
    const store = await openStore(db);
    expect(await store.listDates({})).toEqual(["2025-10-06"]);
    await store.close();
  });

  it("gives API rows without a date the --date (else the path's date), as agg rows, and says how when there is none", async () => {
    const [row] = JSON.parse(
      readFileSync(
        fileURLToPath(
          new URL("../../../examples/data/inferencex/benchmarks.json", import.meta.url),
        ),
        "utf8",
      ),
    );
    const { date: _date, ...undated } = row;
    const file = join(dir, "undated.json");
    writeFileSync(file, JSON.stringify([undated]));
    const none = await cli("import", "inferencex", file, "--db", db);
    expect(none.out.split("\n")[1]).toBe(
      "  skipped row 1: no date (give --date, or keep the file under a folder named by date)",
    );
    // --date is for "rows that carry none": it used to be ignored for API rows, which stayed skipped
    const given = await cli("import", "inferencex", file, "--db", db, "--date", "2026-03-04");
    expect([given.code, given.out.split("\n")[0]]).toEqual([
      0,
      `ok       ${file}: 1 inserted, 0 unchanged`,
    ]);
    const byPath = join(dir, "2026-03-05", "undated.json");
    mkdirSync(dirname(byPath));
    writeFileSync(byPath, JSON.stringify([undated, row]));
    expect((await cli("import", "inferencex", byPath, "--db", db)).code).toBe(0);
    const store = await openStore(db);
    // a row's own date wins over both
    expect(await store.listDates({})).toEqual([row.date, "2026-03-05", "2026-03-04"].sort());
    await store.close();
  });

  it("imports the database dump joined with configs.csv", async () => {
    const r = await cli("import", "inferencex", fx("inferencex/dump"), "--db", db);
    // rows skipped beside imported ones are the policy (dumps hold failed benchmarks): exit 0
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(r.out.split("\n")).toEqual([
      `ok       ${fx("inferencex/dump/benchmark_results_raw.csv")}: 2 inserted, 0 unchanged, 2 skipped`,
      "  skipped row 3: failed benchmark: server crashed",
      "  skipped row 4: config_id 9 is not in configs.csv",
      "1 file(s): 2 inserted, 0 unchanged, 0 rejected, 2 row(s) skipped",
    ]);
    const store = await openStore(db);
    const pts = (await store.queryPoints({})).map((s) => s.point);
    await store.close();
    expect(
      pts.map((p) => [
        p.config.hardware,
        p.config.framework,
        p.config.topology.disaggregated,
        p.config.topology.gpus,
        p.metrics.tputPerGpu,
      ]),
    ).toEqual([
      ["h100", "sglang", false, 8, 900.5],
      ["mi355x", "mori-sglang", true, 24, 1500],
    ]);
    expect(pts[0]!.run.ciUrl).toBe(
      "https://github.com/SemiAnalysisAI/InferenceX/actions/runs/19000000001",
    );
    expect(pts[0]!.metrics.ttft).toEqual({ median: 0.3 });
  });

  it("fails with one line naming the main reasons when no row of the dump could be imported", async () => {
    const dump = join(dir, "dump");
    mkdirSync(dump);
    for (const name of ["configs.csv", "workflow_runs.csv"])
      writeFileSync(join(dump, name), readFileSync(fx(`inferencex/dump/${name}`)));
    const [header, , , failed, unknownConfig] = readFileSync(
      fx("inferencex/dump/benchmark_results_raw.csv"),
      "utf8",
    ).split("\n");
    const again = failed!.replace(/^12,/, "14,").replace("server crashed", "OOM");
    writeFileSync(
      join(dump, "benchmark_results_raw.csv"),
      [header, failed, unknownConfig, again, ""].join("\n"),
    );
    const r = await cli("import", "inferencex", dump, "--db", db);
    expect([r.code, r.out.split("\n").at(-1), r.err]).toEqual([
      1,
      "1 file(s): 0 inserted, 0 unchanged, 0 rejected, 3 row(s) skipped",
      "infermark: nothing imported: 3 row(s) read from 1 file(s), none imported; main reasons: 2 row(s): failed benchmark; 1 row(s): config_id 9 is not in configs.csv",
    ]);
  });

  it("imports several files in order, each in its own transaction, logging a rejected one between them", async () => {
    const r = await cli(
      "import",
      "inferencex",
      fx("inferencex/agg-old"),
      fx("points/single.json"),
      fx("inferencex/dump"),
      fx("inferencex/agg-new"),
      "--db",
      db,
      "--date",
      "2025-12-20",
    );
    expect(r.code).toBe(1);
    expect(r.out.split("\n").filter((l) => !l.startsWith(" "))).toEqual([
      `ok       ${fx("inferencex/agg-old/2025-10-06/agg_bmk.json")}: 2 inserted, 0 unchanged, 2 skipped`,
      `rejected ${fx("points/single.json")}: not InferenceX results (expected API rows with hardware and metrics, or agg rows with hw): PointResults, which infermark ingest stores`,
      `ok       ${fx("inferencex/dump/benchmark_results_raw.csv")}: 2 inserted, 0 unchanged, 2 skipped`,
      `ok       ${fx("inferencex/agg-new/agg_dsr1_8k1k_gb200_run_20123456789.json")}: 1 inserted, 0 unchanged`,
      "4 file(s): 5 inserted, 0 unchanged, 1 rejected, 4 row(s) skipped",
    ]);
    const store = await openStore(db);
    const log = await store.db
      .selectFrom("ingest_log")
      .select(["kind", "path", "status", "inserted", "skipped"])
      // rows written in the same millisecond keep their insertion order (SQLite's rowid)
      .orderBy("at")
      .orderBy("rowid" as "at")
      .execute();
    expect((await store.queryPoints({})).length).toBe(5);
    await store.close();
    expect(
      log.map((l) => [l.kind, l.path, l.status, Number(l.inserted), Number(l.skipped)]),
    ).toEqual([
      ["import", fx("inferencex/agg-old/2025-10-06/agg_bmk.json"), "ok", 2, 2],
      ["import", fx("points/single.json"), "rejected", 0, 0],
      ["import", fx("inferencex/dump/benchmark_results_raw.csv"), "ok", 2, 2],
      ["import", fx("inferencex/agg-new/agg_dsr1_8k1k_gb200_run_20123456789.json"), "ok", 1, 0],
    ]);
  });

  it("stores a measurement that the API's latest and history files share once, from the richer row", async () => {
    // 230 rows of the history file repeat rows of the latest file without image and mean/std metrics
    const data = fileURLToPath(new URL("../../../examples/data/inferencex/", import.meta.url));
    const history = join(data, "benchmarks-history.json");
    const latestFile = join(data, "benchmarks.json");
    const r = await cli("import", "inferencex", history, latestFile, "--db", db);
    expect(r.out.split("\n")).toEqual([
      `ok       ${history}: 1232 inserted, 0 unchanged, 230 duplicate(s) merged`,
      // the MI355X ATOM row that reports 40x less than its own concurrency and E2EL give, in both files (Little's law)
      "  warning: 1 row(s) inconsistent: reported output throughput more than 4x from Little's law (concurrency x output tokens / E2EL; docs/metrics.md); imported as published, left out by sim validate",
      "  warning: row 408 (mi355x atom fp8 mtp 1024/1024 conc 512, 2026-06-02) reports 202 output tok/s (25.3 per GPU x 8 decode GPUs), Little's law gives 9094 (concurrency 512 x 1024 nominal output tokens / median E2EL 57.7 s): 0.022x",
      `ok       ${latestFile}: 435 inserted, 0 unchanged`,
      "  warning: 1 row(s) inconsistent: reported output throughput more than 4x from Little's law (concurrency x output tokens / E2EL; docs/metrics.md); imported as published, left out by sim validate",
      "  warning: row 205 (mi355x atom fp8 mtp 1024/1024 conc 512, 2026-06-02) reports 202 output tok/s (25.3 per GPU x 8 decode GPUs), Little's law gives 9430 (concurrency 512 x 1024 nominal output tokens / mean E2EL 55.6 s): 0.021x",
      "2 file(s): 1667 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped, 230 duplicate row(s) merged",
    ]);
    const store = await openStore(db);
    const latest = await store.queryPoints({ latest: true });
    const family = await store.queryPoints({
      hardware: ["mi355x"],
      framework: ["sglang"],
      precision: ["fp4"],
      spec: ["none"],
      isl: 1024,
      osl: 1024,
      dateFrom: "2026-06-11",
      latest: true,
    });
    const [log] = await store.db
      .selectFrom("ingest_log")
      .select(["skipped", "details"])
      .where("path", "=", history)
      .execute();
    await store.close();
    // every row of the latest file (407 with an image, all 435 with mean metrics) is its level's latest point
    expect(latest.length).toBe(688);
    expect(latest.filter((p) => p.point.config.image).length).toBe(407);
    expect(latest.filter((p) => p.point.metrics.intvty?.mean !== undefined).length).toBe(435);
    expect(
      family.map((p) => [
        p.point.config.load.concurrency,
        p.point.config.image,
        p.point.metrics.intvty?.mean,
      ]),
    ).toEqual([
      [4, "lmsysorg/sglang:v0.5.12-rocm700-mi35x", 103.96441066955654],
      [8, "lmsysorg/sglang:v0.5.12-rocm700-mi35x", 97.60849666757481],
      [16, "lmsysorg/sglang:v0.5.12-rocm700-mi35x", 89.6991614185744],
      // only the history file has this level, without image or mean
      [64, undefined, undefined],
    ]);
    expect(Number(log!.skipped)).toBe(230);
    expect(JSON.parse(log!.details!).skipped[0]).toEqual({
      row: 27,
      reason: `duplicate of ${latestFile} row 5: the same measurement, with every value of this row`,
    });

    const filter = ["--hardware", "mi355x", "--framework", "sglang", "--precision", "fp4"];
    filter.push("--spec", "none", "--isl", "1024", "--osl", "1024", "--db", db, "--json");
    const groups = async (...args: string[]) =>
      (
        JSON.parse((await cli("frontier", ...filter, ...args)).out) as {
          groups: { group: string; points: number; skipped: number }[];
        }
      ).groups.map((g) => [g.group, g.points, g.skipped]);
    const name = "dsr1 1024/1024 mi355x sglang fp4 agg";
    expect(await groups("--group-by", "+image")).toEqual([
      [`${name} -`, 1, 0],
      [`${name} lmsysorg/sglang:v0.5.12-rocm700-mi35x`, 3, 0],
    ]);
    expect(await groups("--x", "intvty.mean")).toEqual([[name, 4, 1]]);
  });

  it("rejects a JSON file that holds no InferenceX rows", async () => {
    const r = await cli("import", "inferencex", fx("points/single.json"), "--db", db);
    expect(r.code).toBe(1);
    expect(r.out.split("\n")[0]).toMatch(/^rejected .*single\.json: not InferenceX results/);
    const rows = join(dir, "rows.json");
    writeFileSync(rows, JSON.stringify([{ name: "x" }]));
    const other = await cli("import", "inferencex", rows, "--db", db);
    expect(other.out.split("\n")[0]).toBe(
      `rejected ${rows}: not InferenceX results (expected API rows with hardware and metrics, or agg rows with hw)`,
    );
  });

  it("says to import InferenceX rows given to ingest, which it cannot read as PointResults", async () => {
    // it said "point 1: config: Invalid input: expected object, received undefined"
    const latest = fileURLToPath(
      new URL("../../../examples/data/inferencex/benchmarks.json", import.meta.url),
    );
    const r = await cli("ingest", latest, "--db", db);
    expect([r.code, r.out.split("\n")[0]]).toEqual([
      1,
      `rejected ${latest}: point 1: an InferenceX row, not a PointResult: infermark import inferencex stores InferenceX results`,
    ]);
  });

  it("exports CSV, JSON and InferenceX rows with filters", async () => {
    await cli("ingest", fx("points/good.jsonl"), fx("points/single.json"), "--db", db);
    const csv = await cli("export", "--db", db, "--format", "csv", "--hardware", "h200");
    const rows = parseCsv(csv.out);
    expect(rows.map((r) => [r.hardware, r.concurrency, r.tput_per_gpu, r.median_intvty])).toEqual([
      ["h200", "4", "900", "50"],
      ["h200", "8", "1500", "50"],
    ]);
    expect(csv.out.split("\n")[0]!.startsWith("id,source,date,model,hardware")).toBe(true);
    const json = JSON.parse((await cli("export", "--db", db, "--from", "2026-01-15")).out);
    expect(json.map((p: { config: { hardware: string } }) => p.config.hardware)).toEqual(["b200"]);
    const ix = JSON.parse(
      (await cli("export", "--db", db, "--format", "inferencex", "--latest", "--hardware", "b200"))
        .out,
    );
    expect(ix).toHaveLength(1);
    expect(ix[0]).toMatchObject({ hw: "b200", conc: 8, tput_per_gpu: 1000, date: "2026-01-20" });
    const out = join(dir, "out.csv");
    const toFile = await cli("export", "--db", db, "--format", "csv", "-o", out);
    expect(toFile.err).toBe(`3 point(s) written to ${out}`);
    expect(readFileSync(out, "utf8").trim().split("\n").length).toBe(4);
    // a file that exists is replaced whole
    writeFileSync(out, "old content\n".repeat(1000));
    await cli("export", "--db", db, "--format", "csv", "-o", out);
    expect(readFileSync(out, "utf8")).toBe(
      (await cli("export", "--db", db, "--format", "csv")).out,
    );
    // a selection of nothing is refused, as the analyses refuse it: it printed a CSV header (or []) and exited 0,
    // and with -o replaced the last export with the empty one
    const none = await cli("export", "--db", db, "--format", "csv", "--model", "no-such-model");
    expect([none.code, none.out, none.err]).toEqual([
      1,
      "",
      `infermark: no stored point matches --model no-such-model in ${db}: nothing exported`,
    ]);
    const before = readFileSync(out, "utf8");
    for (const to of [out, "-"]) {
      const r = await cli(
        "export",
        "--db",
        db,
        "-o",
        to,
        "--hardware",
        "h200",
        "--latest",
        "--from",
        "2027-01-01",
      );
      expect([r.code, r.out, r.err]).toEqual([
        1,
        "",
        `infermark: no stored point matches --hardware h200 --from 2027-01-01 --latest in ${db}: nothing exported${to === "-" ? "" : `, ${out} left as it was`}`,
      ]);
    }
    expect(readFileSync(out, "utf8")).toBe(before);
    const bad = await cli("export", "--db", db, "--format", "xml");
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('infermark: --format expects csv, json, inferencex, got "xml"');
  });

  it("writes text cells a spreadsheet would run as formulas as text, numbers as numbers", async () => {
    const point = JSON.parse(readFileSync(fx("points/single.json"), "utf8"));
    point.config.model = '=HYPERLINK("https://evil.example","dsr1")';
    point.config.framework = "+1";
    point.config.precision = "-2+3";
    point.config.image = "@SUM(1)";
    point.run.ciUrl = "\t=1+1";
    point.metrics.ttft.median = -3.5;
    point.metrics.itl = { median: 0.021, p99: 0.045 };
    point.config.frameworkVersion = "0.11.0";
    point.energy = {
      kind: "measured",
      valid: true,
      reasons: [],
      jPerOutputToken: 0.5,
      jPerInputToken: 0.05,
      avgPowerW: 650,
    };
    point.extra = { metadata: { driver: "570.86", note: "=cmd" } };
    const file = join(dir, "formulas.json");
    writeFileSync(file, JSON.stringify(point));
    expect((await cli("ingest", file, "--db", db)).code).toBe(0);
    const text = (await cli("export", "--db", db, "--format", "csv")).out;
    expect(parseCsv(text)[0]).toMatchObject({
      model: `'=HYPERLINK("https://evil.example","dsr1")`,
      framework: "'+1",
      precision: "'-2+3",
      image: "'@SUM(1)",
      ci_url: "'\t=1+1",
      median_ttft: "-3.5",
      // the engine's release, the energy and bench's --metadata, after the columns before them
      framework_version: "0.11.0",
      j_per_output_token: "0.5",
      j_per_input_token: "0.05",
      j_per_total_token: "",
      avg_power_w: "650",
      metadata: "driver=570.86, note==cmd",
      // the inter-token latency, as InferenceX's rows have it, after them (it had no column)
      median_itl: "0.021",
      p99_itl: "0.045",
    });
    // each such cell quoted, the number plain
    const csv = text.split("\n");
    expect(csv[1]).toContain(
      `,"'=HYPERLINK(""https://evil.example"",""dsr1"")",b200,"'+1","'-2+3",`,
    );
    expect(csv[1]).toContain(",50,40,-3.5,0.5,");
    expect(csv[1]).toContain(`,"'@SUM(1)","'\t=1+1",0.11.0,0.5,0.05,,650,`);
    // the analysis commands' --csv writes the same cells (group labels hold the model name)
    const frontier = await cli("frontier", "--db", db, "--csv");
    expect(frontier.out.split("\n")).toEqual([
      "group,intvty,tputPerGpu,conc,framework,tp,date",
      `"'=HYPERLINK(""https://evil.example"",""dsr1"") 1024/1024 b200 +1 -2+3 agg",50,1000,8,"'+1",?,2026-01-20`,
    ]);
  });
});

for (const dialect of STORE_TARGETS) {
  describe.skipIf(dialect.skip)(`files holding control characters, over ${dialect.name}`, () => {
    let target: StoreTarget;
    let dir: string;
    beforeEach(async () => {
      target = await dialect.create();
      dir = mkdtempSync(join(tmpdir(), "infermark-cli-control-"));
    });
    afterEach(async () => {
      await target.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it("rejects a binary file in one printable line, logs why, and ingests the files after it", async () => {
      // a NUL, a terminal escape (red text) and a bell: the reason quoted them raw, and on PostgreSQL the record of
      // the rejection failed on the NUL, which ended the command before the next file; it now quotes none of the text
      const binary = join(dir, "a-binary.json");
      writeFileSync(binary, Buffer.from("\u0000\u001b[31m\n\u0007", "latin1"));
      const good = join(dir, "b-good.json");
      writeFileSync(good, readFileSync(fx("points/single.json")));
      const reason = "malformed JSON (Unexpected token in JSON at position 0; line 1, column 1)";
      const r = await cli("ingest", binary, good, "--db", target.url);
      expect([r.code, ...r.out.split("\n"), r.err]).toEqual([
        1,
        `rejected ${binary}: ${reason}`,
        `ok       ${good}: 1 inserted, 0 unchanged`,
        "2 file(s): 1 inserted, 0 unchanged, 1 rejected, 0 row(s) skipped",
        "",
      ]);
      const store = await openStore(target.url);
      try {
        const log = await store.db
          .selectFrom("ingest_log")
          .select(["path", "status", "reason"])
          .orderBy("at")
          .execute();
        expect(log).toEqual([
          { path: binary, status: "rejected", reason },
          { path: good, status: "ok", reason: null },
        ]);
      } finally {
        await store.close();
      }
    });

    it("writes a skipped row's reason that quotes a control character printable", async () => {
      const [row] = JSON.parse(readFileSync(LATEST, "utf8"));
      const file = join(dir, "rows.json");
      writeFileSync(file, JSON.stringify([{ ...row, hardware: "zz\u001b]0;title\u0007" }, row]));
      const r = await cli("import", "inferencex", file, "--db", target.url);
      expect(r.out.split("\n").slice(0, 2)).toEqual([
        `ok       ${file}: 1 inserted, 0 unchanged, 1 skipped`,
        `  skipped row 1: unknown hardware "zz\\u001b]0;title\\u0007": the catalog has no GPU "zz\\u001b]0;title\\u0007"; declare it with its figures under gpus: in a catalog override file (--catalog FILE or INFERMARK_CATALOG=FILE; docs/catalog.md)`,
      ]);
    });
  });
}

const INFERENCEX = fileURLToPath(new URL("../../../examples/data/inferencex/", import.meta.url));
const HISTORY = join(INFERENCEX, "benchmarks-history.json");
const LATEST = join(INFERENCEX, "benchmarks.json");

// The store's suite runs over SQLite and PostgreSQL alike; so does an import that meets points stored before.
for (const dialect of STORE_TARGETS) {
  if (dialect.skip) console.warn(`import tests over ${dialect.name} skipped: ${dialect.skip}`);
  describe.skipIf(dialect.skip)(`import inferencex over ${dialect.name}`, () => {
    let target: StoreTarget;
    beforeEach(async () => {
      target = await dialect.create();
    });
    afterEach(() => target.cleanup());

    const stored = async () => {
      const store = await openStore(target.url);
      try {
        const all = await store.queryPoints();
        const [log] = await store.db
          .selectFrom("ingest_log")
          .select(["kind", "details"])
          .orderBy("at", "desc")
          .limit(1)
          .execute();
        const count = async (
          table: "runs" | "configurations",
          holding?: "run_id" | "configuration_id",
        ) => {
          let q = store.db.selectFrom(table).select((eb) => eb.fn.countAll().as("n"));
          if (holding) q = q.where("id", "not in", store.db.selectFrom("points").select(holding));
          return Number((await q.executeTakeFirstOrThrow()).n);
        };
        return {
          points: all.length,
          withImage: all.filter((p) => p.point.config.image).length,
          withMean: all.filter((p) => p.point.metrics.intvty?.mean !== undefined).length,
          runs: await count("runs"),
          configurations: await count("configurations"),
          // runs and configurations that hold no stored point
          empty:
            (await count("runs", "run_id")) + (await count("configurations", "configuration_id")),
          kind: log!.kind,
          details: JSON.parse(log!.details ?? "{}"),
        };
      } finally {
        await store.close();
      }
    };

    it("a sweep's ingest says where it stored, never with a PostgreSQL URL's password", async () => {
      const path = join(FIX, "points/single.json");
      const outcome = {
        name: "p",
        fingerprint: "f",
        server: "s",
        status: "skipped" as const,
        path,
      };
      const r = await ingestOutcomes([outcome], target.url);
      expect(r.inserted).toBe(1);
      // printed as "stored 1 new, 0 unchanged in <db>" and in sweep --json; before, the URL as given
      expect(r.db).toBe(storeLocation(target.url));
      if (dialect.name === "postgres") {
        expect(new URL(target.url).password).not.toBe("");
        expect(new URL(r.db).password).toBe("***");
      } else expect(r.db).toBe(target.url);
    });

    /** The ids of the stored points, sorted. */
    const storedIds = async () => {
      const store = await openStore(target.url);
      return (await store.queryPoints().finally(() => store.close())).map((p) => p.id).sort();
    };

    it("imports its own export of measured points back as those points, not as imported copies", async () => {
      const work = mkdtempSync(join(tmpdir(), "infermark-own-export-"));
      try {
        // two measured points: one of a run outside CI (known by its run id), one of a CI run
        const base = JSON.parse(readFileSync(fx("points/single.json"), "utf8")) as PointResult;
        // (an invalid one: too many errors)
        const outsideCi = {
          ...base,
          run: { ...base.run, runId: "5c0f7e6e-1111-4222-8333-944455556666" },
          errors: { total: 6, requests: 100, rate: 0.06, byCategory: { http_status: 6 } },
          validity: { valid: false, reasons: ["error rate 6.0% exceeds 5%"] },
        };
        const ci = {
          ...base,
          run: { ...base.run, ciUrl: "https://github.com/o/r/actions/runs/9" },
          config: { ...base.config, load: { mode: "concurrency" as const, concurrency: 16 } },
        };
        const points = join(work, "points.jsonl");
        writeFileSync(points, `${JSON.stringify(outsideCi)}\n${JSON.stringify(ci)}\n`);
        await cli("ingest", points, "--db", target.url);
        const before = await storedIds();
        expect(before).toHaveLength(2);
        const rows = join(work, "rows.json");
        await cli("export", "--db", target.url, "--format", "inferencex", "-o", rows);
        // before: 2 inserted, as "imported" points beside the measured ones
        const r = await cli("import", "inferencex", rows, "--db", target.url);
        expect(r.out.split("\n").at(-1)).toBe(
          "1 file(s): 0 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped, 2 duplicate row(s) merged",
        );
        expect(await storedIds()).toEqual(before);
        // in another store they are what they were: measured, by that run
        const other = join(work, "other.db");
        await cli("import", "inferencex", rows, "--db", other);
        const store = await openStore(other);
        const copies = await store.queryPoints().finally(() => store.close());
        const seen = copies.map((c) => [
          c.point.run.source,
          c.point.run.runId,
          c.point.run.ciUrl,
          c.point.validity,
          c.point.errors.total,
        ]);
        // before: source "imported", and the invalid point read back as valid
        expect(seen.sort()).toEqual([
          [
            "measured",
            undefined,
            "https://github.com/o/r/actions/runs/9",
            { valid: true, reasons: [] },
            0,
          ],
          [
            "measured",
            "5c0f7e6e-1111-4222-8333-944455556666",
            undefined,
            { valid: false, reasons: ["error rate 6.0% exceeds 5%"] },
            6,
          ],
        ]);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });

    it("keeps two draft lengths of one configuration two configurations through an export as InferenceX rows", async () => {
      const work = mkdtempSync(join(tmpdir(), "infermark-own-config-"));
      try {
        const base = JSON.parse(readFileSync(fx("points/single.json"), "utf8")) as PointResult;
        const run = { ...base.run, runId: "5c0f7e6e-1111-4222-8333-944455556666" };
        const withDraft = (draftTokens: number, extra: Partial<PointResult["config"]> = {}) => ({
          ...base,
          run,
          config: { ...base.config, ...extra, specDecoding: { method: "mtp", draftTokens } },
        });
        const points = join(work, "points.jsonl");
        const short = withDraft(1);
        const long = withDraft(3, { frameworkVersion: "0.11.0", kvCacheDtype: "fp8" });
        writeFileSync(points, `${JSON.stringify(short)}\n${JSON.stringify(long)}\n`);
        await cli("ingest", points, "--db", target.url);
        const before = await storedIds();
        const rows = join(work, "rows.json");
        await cli("export", "--db", target.url, "--format", "inferencex", "-o", rows);
        // before: the rows said "mtp" alone, so the store they came from took them for new points (2 inserted)
        const r = await cli("import", "inferencex", rows, "--db", target.url);
        expect(r.out.split("\n").at(-1)).toBe(
          "1 file(s): 0 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped, 2 duplicate row(s) merged",
        );
        expect(await storedIds()).toEqual(before);
        // and another store read one configuration, whose latest point hid the other from the analyses
        const other = join(work, "other.db");
        await cli("import", "inferencex", rows, "--db", other);
        const latest = await cli("export", "--db", other, "--latest");
        const configs = (JSON.parse(latest.out) as PointResult[]).map((p) => [
          p.config.specDecoding,
          p.config.kvCacheDtype,
          p.config.frameworkVersion,
        ]);
        expect(configs.sort()).toEqual([
          [{ method: "mtp", draftTokens: 1 }, undefined, undefined],
          [{ method: "mtp", draftTokens: 3 }, "fp8", "0.11.0"],
        ]);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });

    it("leaves out a row whose measurement an earlier import stored with every value of it", async () => {
      await cli("import", "inferencex", LATEST, "--db", target.url);
      const r = await cli("import", "inferencex", HISTORY, "--db", target.url);
      expect(r.out.split("\n")).toEqual([
        `ok       ${HISTORY}: 1232 inserted, 0 unchanged, 230 duplicate(s) merged`,
        "  warning: 1 row(s) inconsistent: reported output throughput more than 4x from Little's law (concurrency x output tokens / E2EL; docs/metrics.md); imported as published, left out by sim validate",
        "  warning: row 408 (mi355x atom fp8 mtp 1024/1024 conc 512, 2026-06-02) reports 202 output tok/s (25.3 per GPU x 8 decode GPUs), Little's law gives 9094 (concurrency 512 x 1024 nominal output tokens / median E2EL 57.7 s): 0.022x",
        "1 file(s): 1232 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped, 230 duplicate row(s) merged",
      ]);
      // what one call with both files stores: 1,667 points, every row of the latest file as it was
      const after = await stored();
      expect([after.points, after.withImage, after.withMean]).toEqual([1667, 407, 435]);
      expect([after.runs, after.configurations, after.empty]).toEqual([145, 388, 0]);
      expect(after.details.skipped[0]).toMatchObject({ row: 27 });
      expect(after.details.skipped[0].reason).toMatch(
        /^duplicate of stored point [0-9a-f]{32}: the same measurement, with every value of this row$/,
      );
    });

    it("imports rows of a GPU that a catalog override declares (--catalog, INFERMARK_CATALOG), only then", async () => {
      const dir = mkdtempSync(join(tmpdir(), "infermark-cli-catalog-"));
      try {
        const file = join(dir, "rtx6000.json");
        const [row] = JSON.parse(readFileSync(LATEST, "utf8"));
        writeFileSync(file, JSON.stringify([{ ...row, hardware: "rtx6000" }]));
        const override = join(dir, "catalog.yaml");
        writeFileSync(override, JSON.stringify(RTX6000_OVERRIDE));
        const importFile = (...flags: string[]) =>
          cli("import", "inferencex", file, "--db", target.url, ...flags);
        const refused = await importFile();
        // nothing imported: a script must not take it for an import (exit 1, one line saying why)
        expect([refused.code, ...refused.out.split("\n"), refused.err]).toEqual([
          1,
          `ok       ${file}: 0 inserted, 0 unchanged, 1 skipped`,
          '  skipped row 1: unknown hardware "rtx6000": the catalog has no GPU "rtx6000"; declare it with its figures under gpus: in a catalog override file (--catalog FILE or INFERMARK_CATALOG=FILE; docs/catalog.md)',
          "1 file(s): 0 inserted, 0 unchanged, 0 rejected, 1 row(s) skipped",
          'infermark: nothing imported: 1 row(s) read from 1 file(s), none imported; main reasons: 1 row(s): unknown hardware "rtx6000"',
        ]);
        expect((await stored()).points).toBe(0);
        const imported = await importFile("--catalog", override);
        expect([imported.code, imported.out.split("\n")[0]]).toEqual([
          0,
          `ok       ${file}: 1 inserted, 0 unchanged`,
        ]);
        const store = await openStore(target.url);
        const points = await store.queryPoints().finally(() => store.close());
        expect(points.map((p) => p.point.config)).toEqual([
          expect.objectContaining({ model: "dsr1", hardware: "rtx6000", hardwareLabel: "rtx6000" }),
        ]);
        expect(points[0]!.point.metrics.tputPerGpu).toBe(row.metrics.tput_per_gpu);
        // INFERMARK_CATALOG is read as --catalog: the same row again is stored already
        vi.stubEnv("INFERMARK_CATALOG", override);
        const again = await importFile();
        expect(again.out.split("\n")[0]).toBe(`ok       ${file}: 0 inserted, 1 unchanged`);
        const missing = join(dir, "nope.yaml");
        const bad = await importFile("--catalog", missing);
        expect([bad.code, bad.err]).toEqual([
          1,
          `infermark: ${missing}: cannot read the catalog override file: no such file`,
        ]);
      } finally {
        vi.unstubAllEnvs();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("replaces a stored point by a later import's richer row, and re-importing changes nothing", async () => {
      await cli("import", "inferencex", HISTORY, "--db", target.url);
      expect((await stored()).points).toBe(1462);
      const r = await cli("import", "inferencex", LATEST, "--db", target.url);
      expect(r.out.split("\n")).toEqual([
        `ok       ${LATEST}: 435 inserted, 0 unchanged, 230 stored point(s) replaced`,
        "  warning: 1 row(s) inconsistent: reported output throughput more than 4x from Little's law (concurrency x output tokens / E2EL; docs/metrics.md); imported as published, left out by sim validate",
        "  warning: row 205 (mi355x atom fp8 mtp 1024/1024 conc 512, 2026-06-02) reports 202 output tok/s (25.3 per GPU x 8 decode GPUs), Little's law gives 9430 (concurrency 512 x 1024 nominal output tokens / mean E2EL 55.6 s): 0.021x",
        "1 file(s): 435 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped, 230 stored point(s) replaced",
      ]);
      const after = await stored();
      expect([after.points, after.withImage, after.withMean]).toEqual([1667, 407, 435]);
      expect([after.runs, after.configurations, after.empty]).toEqual([145, 388, 0]);
      expect(after.details.replaced).toHaveLength(230);
      // both files again, in one call: every row is stored already, as it is
      const again = await cli("import", "inferencex", HISTORY, LATEST, "--db", target.url);
      expect(again.out.split("\n").at(-1)).toBe(
        "2 file(s): 0 inserted, 1667 unchanged, 0 rejected, 0 row(s) skipped, 230 duplicate row(s) merged",
      );
      expect((await stored()).points).toBe(1667);
    });

    it("stores each measurement once when two imports run at once, each with its own connection", async () => {
      await (await openStore(target.url)).close(); // migrated before, so the imports only race on the points
      // Each import reads the stored copies of its measurements inside the transaction that writes its
      // points, under the store's write lock: whichever commits second sees the first one's points.
      const outcomes = await Promise.all([
        importInferencex([HISTORY], { db: target.url }),
        importInferencex([LATEST], { db: target.url }),
      ]);
      expect(outcomes.flat().map((o) => o.status)).toEqual(["ok", "ok"]);
      // one import of both files stores 1,667 points, every row of the latest file as it was
      const after = await stored();
      expect([after.points, after.withImage, after.withMean]).toEqual([1667, 407, 435]);
      expect([after.runs, after.configurations, after.empty]).toEqual([145, 388, 0]);
      const [history, latest] = outcomes.flat();
      // the second to commit merged the 230 shared rows: the history file left its copies out, or the
      // latest file replaced them
      expect([history!.duplicates?.length ?? 0, latest!.replaced ?? 0].sort()).toEqual([0, 230]);
    });

    it("an export as InferenceX rows, imported back into the same store, adds nothing: the rows are stored already", async () => {
      await cli("import", "inferencex", LATEST, "--db", target.url);
      // and benchmark artifacts and a dump, whose rows carry a runner label and a model id (`gb200-nv`,
      // `/models/dsr1-fp4`) that the export writes as InferenceX does, so they come back as the same points
      const artifacts = ["agg-new", "agg-old", "dump"].map((f) => fx(`inferencex/${f}`));
      const more = ["--date", "2025-12-19", "--run-url", "https://github.com/o/r/actions/runs/5"];
      await cli("import", "inferencex", ...artifacts, ...more, "--db", target.url);
      const before = await storedIds();
      expect(before).toHaveLength(440);
      const work = mkdtempSync(join(tmpdir(), "infermark-reimport-"));
      try {
        const file = join(work, "rows.json");
        await cli("export", "--db", target.url, "--format", "inferencex", "-o", file);
        // the API's rows come back as another shape (inferencex:agg, not :api), the model key as their model id,
        // without the fields the rows do not carry, and the 8 first GB200 rows with their 36 GPUs split as before;
        // the artifacts' as they were (unchanged), the dump's as another shape
        const r = await cli("import", "inferencex", file, "--db", target.url);
        expect([r.code, ...r.out.split("\n")]).toEqual([
          0,
          `ok       ${file}: 0 inserted, 3 unchanged, 437 duplicate(s) merged`,
          "  warning: 2 row(s) inconsistent: reported output throughput more than 4x from Little's law (concurrency x output tokens / E2EL; docs/metrics.md); imported as published, left out by sim validate",
          "  warning: row 124 (h200-nb sglang fp8 none 1024/1024 conc 16, 2025-12-19) reports 3202 output tok/s (400 per GPU x 8 decode GPUs), Little's law gives 799 (concurrency 16 x 1024 nominal output tokens / median E2EL 20.5 s): 4.006x",
          "  warning: row 152 (mi355x atom fp8 mtp 1024/1024 conc 512, 2026-06-02) reports 202 output tok/s (25.3 per GPU x 8 decode GPUs), Little's law gives 9430 (concurrency 512 x 1024 nominal output tokens / mean E2EL 55.6 s): 0.021x",
          "1 file(s): 0 inserted, 3 unchanged, 0 rejected, 0 row(s) skipped, 437 duplicate row(s) merged",
        ]);
        expect(await storedIds()).toEqual(before);
        const after = await stored();
        expect(after.details.skipped[0].reason).toMatch(
          /^duplicate of stored point [0-9a-f]{32}: the same measurement, with every value of this row$/,
        );
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });

    it("db dedupe merges the copies an export imported back stored beside the points it came from", async () => {
      // What an older infermark stored when the export was imported back: each point twice, the copy with another
      // importedFrom (inferencex:agg), the model key as its model id and fewer values (made here by reading the
      // export into a store of its own and ingesting that store's points, which ingest stores as they are)
      const work = mkdtempSync(join(tmpdir(), "infermark-dedupe-export-"));
      try {
        await cli("import", "inferencex", LATEST, "--db", target.url);
        const originals = await storedIds();
        const rows = join(work, "rows.json");
        await cli("export", "--db", target.url, "--format", "inferencex", "-o", rows);
        const copy = join(work, "copy.db");
        await cli("import", "inferencex", rows, "--db", copy);
        const copies = join(work, "copies.json");
        await cli("export", "--db", copy, "-o", copies);
        const read = JSON.parse(readFileSync(copies, "utf8")) as PointResult[];
        expect(new Set(read.map((p) => p.run.importedFrom))).toEqual(new Set(["inferencex:agg"]));
        await cli("ingest", copies, "--db", target.url);
        expect((await stored()).points).toBe(870);

        const r = await cli("db", "dedupe", "--db", target.url);
        expect([r.code, r.out.split("\n").at(-1)]).toEqual([
          0,
          "435 duplicate point(s) of 435 measurement(s) removed, the richer copy of each kept; 0 run(s) and 0 configuration(s) left without points removed",
        ]);
        // of copies with the same values the one stored first stays: the points as the import stored them
        expect(await storedIds()).toEqual(originals);
        expect((await stored()).empty).toBe(0);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });

    it("db dedupe removes the copies an older infermark stored side by side, keeping the richer", async () => {
      // An older infermark stored both files' rows as they came: each file's points, exported and ingested.
      // The latest file's carry the tool version that stored them, so their runs are runs of their own.
      const work = mkdtempSync(join(tmpdir(), "infermark-dedupe-"));
      try {
        const files: string[] = [];
        for (const [name, file] of [
          ["history", HISTORY],
          ["latest", LATEST],
        ] as const) {
          const db = join(work, `${name}.db`);
          await cli("import", "inferencex", file, "--db", db);
          const points = JSON.parse((await cli("export", "--db", db)).out) as PointResult[];
          if (name === "latest") for (const p of points) p.run.toolVersion = "0.9.0";
          files.push(join(work, `${name}.json`));
          writeFileSync(files.at(-1)!, JSON.stringify(points));
        }
        await cli("ingest", ...files, "--db", target.url);
        const before = await stored();
        expect([before.points, before.runs, before.configurations]).toEqual([1897, 207, 388]);

        const dry = await cli("db", "dedupe", "--dry-run", "--json", "--db", target.url);
        expect(dry.code).toBe(0);
        const plan = JSON.parse(dry.out) as { dryRun: boolean; removed: unknown[]; runs: number };
        expect([plan.dryRun, plan.removed.length, plan.runs]).toEqual([true, 230, 13]);
        expect((await stored()).points).toBe(1897);

        const r = await cli("db", "dedupe", "--db", target.url);
        const lines = r.out.split("\n");
        expect([r.code, lines.length]).toEqual([0, 231]);
        expect(lines[0]).toMatch(/^removed [0-9a-f]{32} \(duplicate of [0-9a-f]{32}\)$/);
        expect(lines.at(-1)).toBe(
          "230 duplicate point(s) of 230 measurement(s) removed, the richer copy of each kept; 13 run(s) and 0 configuration(s) left without points removed",
        );
        const after = await stored();
        // the points one import of both files stores, every row of the latest file as it was
        expect([after.points, after.withImage, after.withMean]).toEqual([1667, 407, 435]);
        expect([after.runs, after.configurations, after.empty]).toEqual([194, 388, 0]);
        expect([after.kind, after.details.removed.length]).toEqual(["dedupe", 230]);
        expect(after.details.removed).toEqual(JSON.parse(dry.out).removed);

        const again = await cli("db", "dedupe", "--db", target.url);
        expect([again.code, again.out]).toEqual([0, "no duplicate points: nothing to remove"]);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  });
}

describe("export -o", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "infermark-cli-export-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("names the output, not its temporary file, when it cannot write, and leaves nothing behind", async () => {
    const db = join(dir, "t.db");
    await cli("ingest", fx("points/single.json"), "--db", db);
    const missing = join(dir, "no-such-folder", "out.csv");
    const r = await cli("export", "--db", db, "--format", "csv", "-o", missing);
    expect([r.code, r.err]).toEqual([
      1,
      `infermark: ${missing}: the folder ${join(dir, "no-such-folder")} does not exist`,
    ]);
    const folder = join(dir, "a-folder");
    mkdirSync(folder);
    const onFolder = await cli("export", "--db", db, "-o", folder);
    expect([onFolder.code, onFolder.err]).toEqual([1, `infermark: ${folder}: is a folder`]);
    expect(readdirSync(dir).sort()).toEqual(["a-folder", "t.db"]);
    expect(readdirSync(folder)).toEqual([]);
    // a folder named with a trailing slash is a folder too (it was ENOTDIR and the temporary file's name)
    const slash = await cli("export", "--db", db, "-o", `${folder}/`);
    expect([slash.code, slash.err]).toEqual([1, `infermark: ${folder}/: is a folder`]);
    expect(readdirSync(dir).sort()).toEqual(["a-folder", "t.db"]);
  });

  it("writes through a link to its target, keeps the link, and keeps an existing file's mode", async () => {
    const db = join(dir, "t.db");
    await cli("ingest", fx("points/single.json"), "--db", db);
    const expected = (await cli("export", "--db", db, "--format", "csv")).out;
    const target = join(dir, "real.csv");
    writeFileSync(target, "old\n");
    chmodSync(target, 0o640);
    const link = join(dir, "link.csv");
    symlinkSync(target, link);
    const r = await cli("export", "--db", db, "--format", "csv", "-o", link);
    expect([r.code, r.err]).toEqual([0, `1 point(s) written to ${link}`]);
    // before, the temporary file was renamed over the link: the link became a file, its target kept the old text
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe(expected);
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).sort()).toEqual(["link.csv", "real.csv", "t.db"]);
    // a link to a file not made yet: the file is made where it points
    const dangling = join(dir, "later.csv");
    symlinkSync("made-later.csv", dangling);
    await cli("export", "--db", db, "--format", "csv", "-o", dangling);
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "made-later.csv"), "utf8")).toBe(expected);
  });

  it("refuses to write over the SQLite database it exports, named or linked", async () => {
    const db = join(dir, "t.db");
    await cli("ingest", fx("points/single.json"), "--db", db);
    const link = join(dir, "out.csv");
    symlinkSync(db, link);
    for (const output of [db, link, `sqlite:${db}`]) {
      const target = output.startsWith("sqlite:") ? db : output;
      const r = await cli(
        "export",
        "--db",
        output.startsWith("sqlite:") ? output : db,
        "-o",
        target,
      );
      // it replaced the database with the CSV
      expect([r.code, r.err]).toEqual([
        1,
        `infermark: ${target}: is the database being exported (${db}): write the export to another file`,
      ]);
    }
    // the -wal and -shm files exist only while the store is open: a closed store's were written
    for (const suffix of ["-wal", "-shm"]) {
      const r = await cli("export", "--db", db, "-o", `${db}${suffix}`);
      expect([r.code, r.err]).toEqual([
        1,
        `infermark: ${db}${suffix}: is the database being exported (${db}${suffix}): write the export to another file`,
      ]);
      expect(existsSync(`${db}${suffix}`)).toBe(false);
    }
    const store = await openStore(db);
    expect(await store.queryPoints()).toHaveLength(1);
    await store.close();
  });

  it("writes into a pipe (as /dev/stdout, /dev/null) instead of replacing it with a file", async () => {
    const db = join(dir, "t.db");
    await cli("ingest", fx("points/single.json"), "--db", db);
    const expected = (await cli("export", "--db", db, "--format", "csv")).out;
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    // a reader that does not block: read-write opens a FIFO at once on Linux, and keeps it open for the writer
    const reader = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    try {
      const r = await cli("export", "--db", db, "--format", "csv", "-o", fifo);
      expect([r.code, r.err]).toEqual([0, `1 point(s) written to ${fifo}`]);
      // before, `-o /dev/stdout` run as root replaced /dev/stdout with a regular file
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      const buffer = Buffer.alloc(1 << 16);
      const n = readSync(reader, buffer);
      expect(buffer.subarray(0, n).toString("utf8")).toBe(expected);
    } finally {
      closeSync(reader);
    }
    expect(readdirSync(dir).sort()).toEqual(["pipe", "t.db"]);
  });
});

describe("export round trips (real InferenceX rows and measured points)", () => {
  let dir: string;
  let db: string;
  const snapshot = fileURLToPath(
    new URL("../../../examples/data/inferencex/benchmarks.json", import.meta.url),
  );
  /** Every stored point's id and canonical JSON, by id. */
  const storedRows = async (url: string) => {
    const store = await openStore(url);
    try {
      return await store.db.selectFrom("points").select(["id", "json"]).orderBy("id").execute();
    } finally {
      await store.close();
    }
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "infermark-cli-roundtrip-"));
    db = join(dir, "source.db");
    await cli("import", "inferencex", snapshot, "--db", db);
    await cli("ingest", fx("points/good.jsonl"), fx("points/single.json"), "--db", db);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("export --format json, ingested into an empty store, stores byte-identical points", async () => {
    const file = join(dir, "points.json");
    expect((await cli("export", "--db", db, "-o", file)).err).toBe(
      `438 point(s) written to ${file}`,
    );
    const copy = join(dir, "copy.db");
    expect((await cli("ingest", file, "--db", copy)).code).toBe(0);
    const [original, copied] = [await storedRows(db), await storedRows(copy)];
    expect(copied).toHaveLength(438);
    expect(copied).toEqual(original);
  });

  it("export --format inferencex, read back by import inferencex, gives the same rows", async () => {
    const file = join(dir, "rows.json");
    await cli("export", "--db", db, "--format", "inferencex", "-o", file);
    const copy = join(dir, "rows.db");
    const imported = await cli("import", "inferencex", file, "--db", copy);
    expect(imported.out.split("\n").at(-1)).toBe(
      "1 file(s): 438 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped",
    );
    const rows = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>[];
    const again = JSON.parse(
      (await cli("export", "--db", copy, "--format", "inferencex")).out,
    ) as Record<string, unknown>[];
    // the importer fills parallelism a measured point left out (tp 1, no workers); every other field is the same
    const given = (row: Record<string, unknown>, like: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).filter(([k]) => like[k] !== null));
    const byLevel = (r: Record<string, unknown>) =>
      JSON.stringify([
        r.model,
        r.hw,
        r.framework,
        r.precision,
        r.spec_method,
        r.isl,
        r.osl,
        r.conc,
        r.date,
        r.num_prefill_gpu,
        r.num_decode_gpu,
        r.image,
      ]);
    const originals = new Map(rows.map((r) => [byLevel(r), r]));
    expect(again).toHaveLength(rows.length);
    for (const row of again) {
      const original = originals.get(byLevel(row))!;
      expect(given(row, original)).toEqual(given(original, original));
    }
  });
});

describe("import helpers", () => {
  it("reads date, run link and ISL/OSL from a path", () => {
    expect(contextFromPath("/a/2025-12-19/runs/20123456789/agg_dsr1_1k8k_b200.json")).toEqual({
      date: "2025-12-19",
      runUrl: "https://github.com/SemiAnalysisAI/InferenceX/actions/runs/20123456789",
      isl: 1024,
      osl: 8192,
    });
    expect(contextFromPath("agg_bmk.json")).toEqual({});
  });

  it("parses quoted CSV", () => {
    expect(parseCsv('a,b\r\n1,"x,""y"""\n2,\n')).toEqual([
      { a: "1", b: 'x,"y"' },
      { a: "2", b: "" },
    ]);
    expect(() => parseCsv("a,b\n1,2,3\n")).toThrow("record 1: 3 fields, the header has 2");
  });
});
