import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, readFileSync, realpathSync } from "node:fs";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, spawnCli, tempDir } from "./helpers.js";

const POINT_FILE = fileURLToPath(new URL("./fixtures/store/points/single.json", import.meta.url));

describe("output files", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir("infermark-output-files-"));
  });
  afterEach(() => cleanup());

  it.runIf(process.platform !== "win32")(
    "Ctrl-C while the report is written leaves the file that was there and no temporary file beside it",
    async () => {
      const out = join(dir, "report.html");
      await writeFile(out, "the report of yesterday\n");
      const child = spawnCli(["report", POINT_FILE, "-o", out]);
      let stderr = "";
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
        child.on("close", (code, signal) => resolve(signal ?? code)),
      );
      // the temporary file the report is written to, made a pipe before the CLI gets to it (it takes a second to
      // start): its writer then waits for this reader, so the signal lands in the middle of the write, every time
      const tmp = `${realpathSync(out)}.${child.pid}.tmp`;
      execFileSync("mkfifo", [tmp]);
      const reader = createReadStream(tmp);
      try {
        const writing = await Promise.race([
          new Promise<boolean>((resolve) =>
            reader.once("data", () => {
              // read no more: the pipe fills and the writer blocks with most of the report unwritten
              reader.pause();
              resolve(true);
            }),
          ),
          exited.then(() => false),
        ]);
        expect(writing, `the report ended before it wrote: ${stderr}`).toBe(true);
        child.kill("SIGINT");
        expect(await exited).toBe("SIGINT");
      } finally {
        reader.destroy();
      }
      // the temporary file stayed, half written
      expect(existsSync(tmp)).toBe(false);
      expect(await readdir(dir)).toEqual(["report.html"]);
      expect(readFileSync(out, "utf8")).toBe("the report of yesterday\n");
    },
  );

  it("export -o - writes to stdout, as without -o (it wrote a file named '-')", async () => {
    const db = join(dir, "t.db");
    expect((await runCli(["ingest", POINT_FILE, "--db", db])).code).toBe(0);
    const [plain, dash] = await Promise.all([
      runCli(["export", "--db", db, "--format", "csv"], { cwd: dir }),
      runCli(["export", "--db", db, "--format", "csv", "-o", "-"], { cwd: dir }),
    ]);
    expect([dash.code, dash.stderr]).toEqual([0, ""]);
    expect(dash.stdout).toBe(plain.stdout);
    expect(dash.stdout.split("\n")).toHaveLength(3);
    expect(existsSync(join(dir, "-"))).toBe(false);
  });

  it("report refuses -o - and an -o that is its --catalog file, which it replaced with the HTML", async () => {
    const catalog = join(dir, "catalog.yaml");
    const text =
      'gpus:\n  h200:\n    price: { neocloud: 2.1 }\n    source: { source: "ours", date: "2026-10" }\n';
    await writeFile(catalog, text);
    const [dash, overCatalog, overEnvCatalog] = await Promise.all([
      runCli(["report", POINT_FILE, "-o", "-"], { cwd: dir }),
      runCli(["report", POINT_FILE, "--catalog", catalog, "-o", catalog]),
      runCli(["report", POINT_FILE, "-o", catalog], { env: { INFERMARK_CATALOG: catalog } }),
    ]);
    expect([dash.code, dash.stdout, dash.stderr]).toEqual([
      2,
      "",
      "infermark: -o -: the report is one HTML file: give its name (report.html)\n",
    ]);
    for (const r of [overCatalog, overEnvCatalog])
      expect([r.code, r.stdout, r.stderr]).toEqual([
        2,
        "",
        `infermark: -o ${catalog}: is an input of the report (${catalog}), which the report would replace: write it to another file\n`,
      ]);
    expect(readFileSync(catalog, "utf8")).toBe(text);
    expect(await readdir(dir)).toEqual(["catalog.yaml"]);
  });
});
