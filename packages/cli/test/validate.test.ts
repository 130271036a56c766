import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RequestRecord } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointJson, REPO_ROOT, runCli, runCliInProcess, tempDir } from "./helpers.js";

const RECORDS = "examples/requests/h200-dsr1-c8.jsonl";

const POINT = pointJson(4);

const SPEC_YAML = `name: quick
model: dsr1
hardware: h200
framework: sim
precision: fp8
scenarios:
  - { isl: 1024, osl: 1024 }
search:
  tp: [8]
  concurrency: { from: 1, to: 64 }
server: { kind: simulator, speed: 20 }
`;

describe("infermark validate", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await writeFile(join(dir, "good.json"), JSON.stringify(POINT));
    await writeFile(join(dir, "spec.yaml"), SPEC_YAML);
    const bad = { ...POINT, config: { ...POINT.config, workload: { isl: -1, osl: 1024 } } };
    delete (bad as Record<string, unknown>).validity;
    await writeFile(join(dir, "bad.json"), JSON.stringify(bad));
    await writeFile(join(dir, "broken.json"), "{ not json");
  });
  afterAll(() => cleanup());

  it("accepts valid PointResult and SweepSpec files (JSON and YAML)", async () => {
    const r = await runCli(["validate", join(dir, "good.json"), join(dir, "spec.yaml")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`ok    ${join(dir, "good.json")} (PointResult)`);
    expect(r.stdout).toContain(`ok    ${join(dir, "spec.yaml")} (SweepSpec)`);
    expect(r.stdout).toContain("2 valid, 0 invalid");
  });

  it("reports each error with its path and what was expected, and exits non-zero", async () => {
    const r = await runCli([
      "validate",
      join(dir, "good.json"),
      join(dir, "bad.json"),
      join(dir, "broken.json"),
      join(dir, "missing.json"),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `error ${join(dir, "bad.json")} (PointResult): config.workload.isl: Too small: expected number to be >=0`,
    );
    expect(r.stdout).toContain(
      `error ${join(dir, "bad.json")} (PointResult): validity: Invalid input: expected object, received undefined`,
    );
    // a file that cannot be read or parsed is named once, with what is wrong
    expect(r.stdout).toMatch(/^error \S*broken\.json: malformed JSON \(/m);
    expect(r.stdout).toContain(`error ${join(dir, "missing.json")}: no such file or folder\n`);
    expect(r.stdout).toContain("1 valid, 3 invalid");
  });

  it("checks the JSON, JSONL and YAML files of a folder, recursively, one line per file", async () => {
    const folder = join(dir, "results");
    await mkdir(join(folder, "specs"), { recursive: true });
    await writeFile(join(folder, "a.json"), JSON.stringify(POINT));
    await writeFile(join(folder, "b.json"), "{ not json");
    await writeFile(join(folder, "notes.md"), "# not a result");
    // a sweep's failure record is left out of a folder (ingest leaves it out too)
    await writeFile(join(folder, "a-c8.failed.json"), '{"point":"a-c8","reason":"server exited"}');
    await writeFile(join(folder, "specs", "quick.yaml"), SPEC_YAML);
    const empty = join(dir, "empty");
    await mkdir(empty);
    const r = await runCli(["validate", folder, empty]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual([
      `ok    ${join(folder, "a.json")} (PointResult)`,
      `error ${join(folder, "b.json")}: malformed JSON (Expected property name or '}' in JSON at position 2; line 1, column 3)`,
      `ok    ${join(folder, "specs", "quick.yaml")} (SweepSpec)`,
      `error ${empty}: no JSON, JSONL or YAML files in this folder`,
      "2 valid, 2 invalid",
      "",
    ]);
  });

  it("checks each element of a top-level array, as ingest reads it and export writes it", async () => {
    const bad = { ...POINT, config: { ...POINT.config, workload: { isl: "1k", osl: 1024 } } };
    await writeFile(join(dir, "array.json"), JSON.stringify([POINT, bad], null, 2));
    await writeFile(join(dir, "empty-array.json"), "[]");
    const r = await runCli(["validate", join(dir, "array.json"), join(dir, "empty-array.json")]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual([
      `ok    ${join(dir, "array.json")}: point 1 (PointResult)`,
      `error ${join(dir, "array.json")}: point 2 (PointResult): config.workload.isl: Invalid input: expected number, received string`,
      `error ${join(dir, "empty-array.json")}: an empty array: no documents`,
      "1 valid, 2 invalid",
      "",
    ]);
  });

  it("names each JSONL document by its line, blank lines counted", async () => {
    const bad = { ...POINT, validity: { valid: "yes" } };
    await writeFile(
      join(dir, "run.jsonl"),
      `${JSON.stringify(POINT)}\n\n${JSON.stringify(POINT)}\n${JSON.stringify(bad)}\n`,
    );
    const r = await runCli(["validate", join(dir, "run.jsonl")]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual([
      `ok    ${join(dir, "run.jsonl")}: line 1 (PointResult)`,
      `ok    ${join(dir, "run.jsonl")}: line 3 (PointResult)`,
      `error ${join(dir, "run.jsonl")}: line 4 (PointResult): validity.valid: Invalid input: expected boolean, received string`,
      "2 valid, 1 invalid",
      "",
    ]);
  });

  it("an empty JSONL file is an error, not a pass ('0 valid, 0 invalid' and exit 0)", async () => {
    await writeFile(join(dir, "empty.jsonl"), "");
    await writeFile(join(dir, "blank.jsonl"), "\n  \n");
    const r = await runCliInProcess([
      "validate",
      join(dir, "empty.jsonl"),
      join(dir, "blank.jsonl"),
    ]);
    expect([r.code, r.stdout.split("\n")]).toEqual([
      1,
      [
        `error ${join(dir, "empty.jsonl")}: empty: no documents`,
        `error ${join(dir, "blank.jsonl")}: empty: no documents`,
        "0 valid, 2 invalid",
        "",
      ],
    ]);
  });

  it("names the bad flag in a one-line error", async () => {
    const r = await runCli(["validate", "--schema", "Nope", join(dir, "good.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'infermark: --schema: unknown contract "Nope"; known: PointResult, SweepSpec, RequestRecord, CatalogOverrides',
    );
  });

  it("reads a JSONL file on past a malformed line: every other line gets its check", async () => {
    const records = (await readFile(RECORDS, "utf8")).trim().split("\n").slice(0, 3);
    const bad = { ...JSON.parse(records[1]!), tSend: "soon" };
    const file = join(dir, "records.jsonl");
    await writeFile(file, [records[0], "{ not json", JSON.stringify(bad), records[2]].join("\n"));
    const r = await runCli(["validate", file]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual([
      `ok    ${file}: line 1 (RequestRecord)`,
      `error ${file}: line 2: malformed JSON (Expected property name or '}' in JSON at position 2)`,
      `error ${file}: line 3 (RequestRecord): tSend: Invalid input: expected number, received string`,
      `ok    ${file}: line 4 (RequestRecord)`,
      "2 valid, 2 invalid",
      "",
    ]);
  });

  it("checks a document that lacks a part as the kind whose keys it has, not as an unknown one", async () => {
    const spec = join(dir, "no-search.yaml");
    await writeFile(spec, SPEC_YAML.replace(/^search:\n( {2}.*\n)+/m, ""));
    // events default to none in the schema, as aggregate and ingest read records
    const [record] = (await readFile(RECORDS, "utf8")).split("\n");
    const { events: _, ...withoutEvents } = JSON.parse(record!);
    const records = join(dir, "no-events.jsonl");
    await writeFile(records, `${JSON.stringify(withoutEvents)}\n`);
    const r = await runCli(["validate", spec, records]);
    expect(r.stdout.split("\n")).toEqual([
      `error ${spec} (SweepSpec): search: Invalid input: expected object, received undefined`,
      `ok    ${records}: line 1 (RequestRecord)`,
      "1 valid, 1 invalid",
      "",
    ]);
  });

  it("checks catalog override files as the commands read them, listing every problem with its place", async () => {
    const good = join(dir, "catalog.yaml");
    await writeFile(good, "gpus:\n  h100: { price: { neocloud: 2.1 } }\n");
    const bad = join(dir, "bad-catalog.yaml");
    await writeFile(
      bad,
      [
        "gpus:",
        "  H100: { price: { neocloud: 2.1 } }",
        "  h200: { price: { neocloud: -1 }, tdp: 700 }",
        "models:",
        "  dsr1: { maxContext: 0 }",
        "",
      ].join("\n"),
    );
    const r = await runCli(["validate", good, bad]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual([
      `ok    ${good} (CatalogOverrides)`,
      `error ${bad} (CatalogOverrides): gpus.H100: GPU keys are lower case: write "h100" to override the built-in GPU's figures`,
      `error ${bad} (CatalogOverrides): gpus.h200: unknown gpu field "tdp"; known: name, vendor, hbmGb, hbmTbps, tflops, scaleUpGBps, scaleUpDomain, nicGbps, tdpW, allInKw, price, source`,
      `error ${bad} (CatalogOverrides): gpus.h200.price.neocloud: Too small: expected number to be >0`,
      `error ${bad} (CatalogOverrides): models.dsr1.maxContext: Too small: expected number to be >0`,
      "1 valid, 1 invalid",
      "",
    ]);
    // named with --schema, a file that is not one says how
    const asCatalog = await runCli([
      "validate",
      "--schema",
      "CatalogOverrides",
      join(dir, "spec.yaml"),
    ]);
    expect(asCatalog.stdout.split("\n")[0]).toBe(
      `error ${join(dir, "spec.yaml")} (CatalogOverrides): (root): unknown catalog section "name"; known: gpus, models`,
    );
  });
});

describe("infermark aggregate", () => {
  it("aggregates the bundled request records into a valid PointResult", async () => {
    const r = await runCli([
      "aggregate",
      "examples/requests/h200-dsr1-c8.jsonl",
      "--gpus",
      "8",
      "--hardware",
      "h200",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const point = JSON.parse(r.stdout);
    expect(point.schema).toBe("infermark.point/v1");
    expect(point.metrics.completed).toBe(39);
    expect(point.errors).toMatchObject({ total: 1, requests: 40, byCategory: { stream_cut: 1 } });
    expect(point.validity.valid).toBe(true);
    expect(point.metrics.tputPerGpu).toBeCloseTo(point.metrics.totalThroughput / 8, 9);
  });

  it("disaggregated: the GPUs are the prefill and decode GPUs together, as bench counts them", async () => {
    const r = await runCli([
      "aggregate",
      "examples/requests/h200-dsr1-c8.jsonl",
      "--prefill-gpus",
      "2",
      "--decode-gpus",
      "6",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const point = JSON.parse(r.stdout);
    expect(point.config.topology).toEqual({
      disaggregated: true,
      multinode: false,
      gpus: 8,
      prefillGpus: 2,
      decodeGpus: 6,
    });
    expect(point.metrics.tputPerGpu).toBeCloseTo(point.metrics.totalThroughput / 8, 9);
    expect(point.metrics.outputTputPerGpu).toBeCloseTo(point.metrics.outputThroughput / 6, 9);
  });

  it("rejects a bad flag value naming the flag", async () => {
    const r = await runCli(["aggregate", "examples/requests/h200-dsr1-c8.jsonl", "--gpus", "zero"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--gpus expects a positive integer, got "zero"');
  });

  it("says what level and source the records came from: --rate (with --max-concurrency), --source simulated", async () => {
    const r = await runCliInProcess([
      "aggregate",
      RECORDS,
      "--rate",
      "2.5",
      "--max-concurrency",
      "8",
      "--source",
      "simulated",
      "--json",
    ]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const point = JSON.parse(r.stdout);
    expect(point.config.load).toEqual({
      mode: "rate",
      rate: 2.5,
      concurrency: 8,
      requests: 40,
      warmupRequests: 2,
    });
    expect(point.run.source).toBe("simulated");
    const closed = JSON.parse((await runCliInProcess(["aggregate", RECORDS, "--json"])).stdout);
    expect(closed.run.source).toBe("measured");
    expect(closed.config.load).toEqual({ mode: "concurrency", requests: 40, warmupRequests: 2 });
  });

  it("refuses contradictory load flags and an unknown source with one line (exit 2)", async () => {
    const cases: [string[], string][] = [
      [
        ["--concurrency", "8", "--rate", "2"],
        "infermark: give only one of --concurrency and --rate",
      ],
      [["--max-concurrency", "8"], "infermark: --max-concurrency applies to --rate only"],
      [
        ["--source", "imported"],
        "error: option '--source <kind>' argument 'imported' is invalid. Allowed choices are measured, simulated. (run with --help for usage)",
      ],
    ];
    for (const [flags, line] of cases) {
      const r = await runCliInProcess(["aggregate", RECORDS, ...flags, "--json"]);
      expect([r.code, r.stdout, r.stderr.split("\n")[0]], flags.join(" ")).toEqual([2, "", line]);
    }
  });

  describe("judges validity as bench does, where the records show it", () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    let records: RequestRecord[];
    /** Writes the bundled records, changed by `change`, and aggregates them with `flags`. */
    const aggregate = async (
      name: string,
      change: (r: RequestRecord) => RequestRecord,
      flags: string[] = [],
    ) => {
      const path = join(dir, `${name}.jsonl`);
      await writeFile(path, records.map((r) => JSON.stringify(change(r))).join("\n"));
      const r = await runCliInProcess(["aggregate", path, "--json", ...flags]);
      return { code: r.code, point: JSON.parse(r.stdout) };
    };
    beforeAll(async () => {
      ({ dir, cleanup } = await tempDir());
      records = (await readFile(RECORDS, "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
    });
    afterAll(() => cleanup());

    it("client saturation from the send lag (tSend - tSched) against --max-client-lag", async () => {
      // every send 50 ms behind its schedule
      const late = (r: RequestRecord) => ({ ...r, tSched: r.tSend - 50 });
      const saturated = await aggregate("late", late);
      expect(saturated.code).toBe(1);
      expect(saturated.point.client).toEqual({
        saturated: true,
        sendLagP99Ms: 50,
        sendLagMaxMs: 50,
      });
      expect(saturated.point.validity).toEqual({
        valid: false,
        reasons: ["client saturated (event-loop delay p99 n/a, send lag p99 50.0 ms)"],
      });
      expect((await aggregate("late", late, ["--max-client-lag", "60"])).point.validity.valid).toBe(
        true,
      );
      // a rate-mode cap: the wait for a slot is queue delay, not lag; simulated records may hold scaled times
      for (const flags of [
        ["--rate", "2", "--max-concurrency", "8"],
        ["--source", "simulated"],
      ]) {
        const r = await aggregate("late", late, flags);
        expect([r.code, r.point.client, r.point.validity.valid], flags.join(" ")).toEqual([
          0,
          undefined,
          true,
        ]);
      }
      expect((await aggregate("late", late, ["--rate", "2"])).point.validity.valid).toBe(false);
    });

    it("counts replies whose token events came in one read, and leaves them out of TPOT (as bench does)", async () => {
      const plain = await aggregate("plain", (x) => x);
      expect(plain.point.extra?.oneReadReplies).toBeUndefined();
      // the first two measured replies buffered by a proxy: every token event stamped at the last one's time
      let buffered = 0;
      const oneRead = await aggregate("one-read", (x) => {
        if (x.warmup || buffered >= 2) return x;
        buffered++;
        const t = Math.max(...x.events.map((e) => e.t));
        return { ...x, events: x.events.map((e) => ({ ...e, t })) };
      });
      expect(oneRead.code).toBe(0);
      expect(oneRead.point.extra.oneReadReplies).toBe(2);
      expect(oneRead.point.metrics.tpot.count).toBe(plain.point.metrics.tpot.count - 2);
    });

    it("a server that returned more tokens than max_tokens asked (usage counts)", async () => {
      const r = await aggregate("long", (x) => ({ ...x, requestedOutputTokens: 100 }));
      expect(r.code).toBe(1);
      expect(r.point.validity.reasons).toEqual([
        "server ignored max_tokens: 39 of 39 requests returned more tokens than asked",
      ]);
      const asked = await aggregate("asked", (x) => ({ ...x, requestedOutputTokens: 128 }));
      expect([asked.code, asked.point.validity]).toEqual([0, { valid: true, reasons: [] }]);
    });

    it("refuses records that make no point: none, only warm-up, or two runs put together (an index seen twice)", async () => {
      const write = async (name: string, list: RequestRecord[]) => {
        const path = join(dir, `${name}.jsonl`);
        await writeFile(path, list.map((r) => JSON.stringify(r)).join("\n"));
        return path;
      };
      const empty = await write("none", []);
      const warm = await write(
        "warm",
        records.filter((r) => r.warmup),
      );
      const mixed = await write("mixed", [...records.slice(0, 5), ...records.slice(0, 5)]);
      const runs = [];
      for (const path of [empty, warm, mixed])
        runs.push(await runCliInProcess(["aggregate", path]));
      expect(runs.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
        [1, "", `infermark: ${empty}: no request records in this file\n`],
        [
          1,
          "",
          `infermark: ${warm}: all 2 records are warm-up requests (warmup: true), which never count: no measured request to aggregate\n`,
        ],
        [
          1,
          "",
          `infermark: ${mixed}: records 1 and 6 (in file order) both have index 0: the file holds records of more than one run or level; aggregate one level's records at a time\n`,
        ],
      ]);
    });

    it("-o: never over the records file itself; a path it cannot write is one line", async () => {
      const path = join(dir, "own.jsonl");
      const text = records.map((r) => JSON.stringify(r)).join("\n");
      await writeFile(path, text);
      const over = await runCliInProcess(["aggregate", path, "-o", path]);
      expect([over.code, over.stdout, over.stderr]).toEqual([
        2,
        "",
        `infermark: -o ${path}: is the records file being aggregated, which the point would replace: write it to another file\n`,
      ]);
      expect(await readFile(path, "utf8")).toBe(text);
      const nowhere = join(dir, "no-such-folder", "point.json");
      const failed = await runCliInProcess(["aggregate", path, "-o", nowhere]);
      expect([failed.code, failed.stderr]).toEqual([
        1,
        `infermark: ${nowhere}: the folder ${join(dir, "no-such-folder")} does not exist\n`,
      ]);
    });

    it("-o - is refused with the flag that prints the point (it wrote a file named '-')", async () => {
      const r = await runCli(["aggregate", join(REPO_ROOT, RECORDS), "-o", "-"], { cwd: dir });
      expect([r.code, r.stdout, r.stderr]).toEqual([
        2,
        "",
        "infermark: -o -: -o writes the PointResult to a file; --json prints it on stdout\n",
      ]);
      expect(existsSync(join(dir, "-"))).toBe(false);
    });

    it("names the line of a record that is not a RequestRecord, and gives the same point from CRLF lines", async () => {
      const path = join(dir, "bad.jsonl");
      const lines = records.map((r) => JSON.stringify(r));
      lines.splice(2, 0, "", JSON.stringify({ ...records[2], tSend: "soon" }));
      await writeFile(path, lines.join("\n"));
      const r = await runCliInProcess(["aggregate", path]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${path}: line 4: tSend: `);
      const crlf = join(dir, "crlf.jsonl");
      await writeFile(crlf, records.map((x) => JSON.stringify(x)).join("\r\n"));
      const a = await runCliInProcess(["aggregate", crlf, "--json"]);
      const b = await runCliInProcess(["aggregate", RECORDS, "--json"]);
      expect(JSON.parse(a.stdout).metrics).toEqual(JSON.parse(b.stdout).metrics);
    });
  });
});

describe("infermark --help", () => {
  it("exits 0 and lists the commands (every subcommand's help is checked in src/cli.test.ts)", async () => {
    const top = await runCli(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^ {2}validate \[options\] <files\.\.\.>/m);
  });
});
