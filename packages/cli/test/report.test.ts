import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromInferencexApiRow, type PointResult, type RequestRecord } from "@infermark/core";
import { openStore, pointId } from "@infermark/store";
import { webAppDir } from "@infermark/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importInferencex } from "../src/commands/import.js";
import { buildReport } from "../src/commands/report.js";
import { runCliInProcess } from "./helpers.js";

const SNAPSHOT = fileURLToPath(
  new URL("../../../examples/data/inferencex/benchmarks.json", import.meta.url),
);
const rows = JSON.parse(readFileSync(SNAPSHOT, "utf8")) as unknown[];
const built = existsSync(join(webAppDir(), "app.js"));

/** The data a report embeds, read back from its HTML. */
const embedded = (html: string) => {
  const m = /<script>window\.__INFERMARK_REPORT__=(.*?);<\/script>/s.exec(html);
  return JSON.parse(m![1]!) as {
    title: string;
    points: { id: string; point: { config: { hardware: string } } }[];
    requests?: Record<string, RequestRecord[]>;
  };
};

/** A row of the snapshot as a point. */
const toPoint = (row: unknown): PointResult => {
  const m = fromInferencexApiRow(row);
  if (!m.ok) throw new Error(m.reason);
  return m.point;
};

describe.skipIf(!built)(
  "infermark report (needs the built dashboard: npm run build -w @infermark/web)",
  () => {
    let dir: string;
    let db: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "infermark-report-"));
      db = join(dir, "r.db");
      await importInferencex([SNAPSHOT], { db });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("embeds the filtered points of a database, the script and the stylesheet: no external references", async () => {
      const r = await buildReport([db], { filter: { hardware: ["b200"] }, title: "B200 <report>" });
      const expected = rows.filter(
        (row) => (row as { hardware: string }).hardware === "b200",
      ).length;
      expect(r.points).toBe(expected);
      const data = embedded(r.html);
      expect(data.title).toBe("B200 <report>");
      expect(data.points.length).toBe(expected);
      expect(new Set(data.points.map((p) => p.point.config.hardware))).toEqual(new Set(["b200"]));
      expect(r.html).toContain("<title>B200 &lt;report></title>");
      expect(r.html).not.toMatch(/<script[^>]+src=/);
      expect(r.html).not.toMatch(/<link[^>]+href="(?!data:)/);
      expect(r.html).toContain('<script type="module">');
    });

    it("reads PointResult files (arrays, one point per document) and leaves other documents out", async () => {
      const points = rows.slice(0, 5).map(toPoint);
      const file = join(dir, "points.json");
      writeFileSync(file, JSON.stringify([...points, { not: "a point" }]));
      const r = await buildReport([file]);
      expect(r.points).toBe(5);
      expect(r.skipped).toHaveLength(1);
      expect(embedded(r.html).points.map((p) => p.id)).toHaveLength(5);
    });

    it("writes nothing when no point matches, or the store holds none, and says which (exit 1)", async () => {
      const html = join(dir, "nothing.html");
      const none = await runCliInProcess([
        "report",
        db,
        "-o",
        html,
        "--model",
        "nosuch",
        "--latest",
      ]);
      expect([none.code, none.stdout, none.stderr]).toEqual([
        1,
        "",
        `infermark: no points to report: none in ${db} matches --model; nothing written\n`,
      ]);
      const emptyDb = join(dir, "empty.db");
      await (await openStore(emptyDb)).close();
      const empty = await runCliInProcess(["report", emptyDb, "-o", html]);
      expect([empty.code, empty.stdout, empty.stderr]).toEqual([
        1,
        "",
        `infermark: no points to report: ${emptyDb} holds none; nothing written\n`,
      ]);
      expect(existsSync(html)).toBe(false);
    });

    it("never writes the report over its database or a result file it reads", async () => {
      const copy = join(dir, "copy.db");
      writeFileSync(copy, readFileSync(db));
      const file = join(dir, "one.json");
      writeFileSync(file, JSON.stringify(toPoint(rows[0])));
      for (const [input, output] of [
        [copy, copy],
        [dir, file],
      ] as const) {
        const before = readFileSync(output);
        const r = await runCliInProcess(["report", input, "-o", output]);
        expect([r.code, r.stdout, r.stderr]).toEqual([
          2,
          "",
          `infermark: -o ${output}: is an input of the report (${output}), which the report would replace: write it to another file\n`,
        ]);
        expect(readFileSync(output).equals(before)).toBe(true);
      }
      // the -wal and -shm files exist only while the store is open: a closed store's are refused all the same
      for (const suffix of ["-wal", "-shm"]) {
        const output = `${copy}${suffix}`;
        expect(existsSync(output)).toBe(false);
        const r = await runCliInProcess(["report", copy, "-o", output]);
        expect([r.code, r.stdout, r.stderr]).toEqual([
          2,
          "",
          `infermark: -o ${output}: is an input of the report (${output}), which the report would replace: write it to another file\n`,
        ]);
        expect(existsSync(output)).toBe(false);
      }
    });

    it("pairs each point file with its request records as ingest does: embedded with --requests, never read as points", async () => {
      // as a sweep writes them: <point>.json beside <point>.requests.jsonl (and bench's point-<level>.json
      // beside requests-<level>.jsonl); one records file has lost its point file
      const run = join(dir, "results");
      mkdirSync(run);
      const hardware = (row: unknown) => (row as { hardware: string }).hardware;
      const a = toPoint(rows[0]);
      const b = toPoint(rows.find((row) => hardware(row) !== hardware(rows[0])));
      const record = (index: number): RequestRecord => ({
        index,
        warmup: index === 0,
        tSched: index * 10,
        tSend: index * 10 + 1,
        tEnd: index * 10 + 9,
        events: [
          { t: index * 10 + 4, kind: "content", tokens: 1 },
          { t: index * 10 + 9, kind: "content", tokens: 1 },
        ],
        outputTokens: 2,
      });
      const jsonl = (records: RequestRecord[]) =>
        `${records.map((r) => JSON.stringify(r)).join("\n")}\n`;
      writeFileSync(join(run, "srv-c1.json"), JSON.stringify(a));
      writeFileSync(join(run, "srv-c1.requests.jsonl"), jsonl([record(0), record(1), record(2)]));
      writeFileSync(join(run, "point-c2.json"), JSON.stringify(b));
      writeFileSync(join(run, "requests-c2.jsonl"), jsonl([record(0)]));
      writeFileSync(join(run, "srv-c4.requests.jsonl"), jsonl([record(0), record(1)]));
      const lone = {
        path: join(run, "srv-c4.requests.jsonl"),
        reason: "request records without their point file (srv-c4.json) beside them",
      };

      const plain = await buildReport([run]);
      expect([plain.points, plain.requests]).toEqual([2, 0]);
      expect(plain.skipped).toEqual([lone]);
      expect(embedded(plain.html).requests).toBeUndefined();

      const withRecords = await buildReport([run], { requests: true });
      expect([withRecords.points, withRecords.requests]).toEqual([2, 4]);
      expect(withRecords.skipped).toEqual([lone]);
      expect(embedded(withRecords.html).requests).toEqual({
        [pointId(a)]: [record(0), record(1), record(2)],
        [pointId(b)]: [record(0)],
      });
      // only the records of the points the filter keeps
      const filtered = await buildReport([run], {
        requests: true,
        filter: { hardware: [b.config.hardware] },
      });
      expect(filtered.points).toBe(1);
      expect(embedded(filtered.html).requests).toEqual({ [pointId(b)]: [record(0)] });
    });
  },
);
