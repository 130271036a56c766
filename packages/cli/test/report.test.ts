import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromInferencexApiRow } from "@infermark/core";
import { webAppDir } from "@infermark/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importInferencex } from "../src/commands/import.js";
import { buildReport } from "../src/commands/report.js";

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
  };
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
      const points = rows.slice(0, 5).map((row) => {
        const m = fromInferencexApiRow(row);
        if (!m.ok) throw new Error(m.reason);
        return m.point;
      });
      const file = join(dir, "points.json");
      writeFileSync(file, JSON.stringify([...points, { not: "a point" }]));
      const r = await buildReport([file]);
      expect(r.points).toBe(5);
      expect(r.skipped).toHaveLength(1);
      expect(embedded(r.html).points.map((p) => p.id)).toHaveLength(5);
    });
  },
);
