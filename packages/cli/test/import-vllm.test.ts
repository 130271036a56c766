import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { openStore } from "@infermark/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers.js";

/**
 * Results in the key set vLLM writes (vllm/benchmarks/serve.py, `result_json`; benchmarks/benchmark_serving.py before
 * it): one per file, as `--save-result` writes them.
 */
const summary = (over: Record<string, unknown>) => ({
  date: "20251014-081500",
  endpoint_type: "vllm",
  backend: "vllm",
  label: null,
  model_id: "meta-llama/Llama-3.3-70B-Instruct",
  tokenizer_id: "meta-llama/Llama-3.3-70B-Instruct",
  num_prompts: 80,
  request_rate: "inf",
  burstiness: 1.0,
  max_concurrency: 8,
  duration: 40,
  completed: 80,
  failed: 0,
  total_input_tokens: 81920,
  total_output_tokens: 81920,
  request_throughput: 2,
  request_goodput: null,
  output_throughput: 2048,
  total_token_throughput: 4096,
  max_output_tokens_per_s: 2100,
  max_concurrent_requests: 8,
  mean_ttft_ms: 120,
  median_ttft_ms: 110,
  std_ttft_ms: 20,
  p99_ttft_ms: 180,
  mean_tpot_ms: 10,
  median_tpot_ms: 10,
  std_tpot_ms: 1,
  p99_tpot_ms: 12.5,
  mean_itl_ms: 10,
  median_itl_ms: 9.5,
  std_itl_ms: 2,
  p99_itl_ms: 20,
  ...over,
});

/** `--save-detailed`: the per-request arrays beside the summary (2 requests, 1024 in, 4 out each). */
const detailed = summary({
  date: "20251015-221000",
  num_prompts: 2,
  max_concurrency: 2,
  duration: 1,
  completed: 2,
  total_input_tokens: 2048,
  total_output_tokens: 8,
  request_throughput: 2,
  output_throughput: 8,
  total_token_throughput: 2056,
  input_lens: [1024, 1024],
  output_lens: [4, 4],
  ttfts: [0.1, 0.2],
  itls: [
    [0.01, 0.01, 0.01],
    [0.02, 0.02, 0.02],
  ],
  latencies: [0.13, 0.26],
  start_times: [0, 0],
  queue_times: [0, 0],
  generated_texts: ["a b c d", "e f g h"],
  errors: ["", ""],
});

const FLAGS = ["--hardware", "h200", "--gpus", "8", "--framework", "vllm", "--precision", "fp8"];

describe("import vllm (real CLI, real SQLite store)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let db: string;
  let files: string[];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    db = join(dir, "store.db");
    files = [
      join(dir, "vllm-infqps-concurrency8-Llama-3.3-70B-Instruct-20251014-081500.json"),
      join(dir, "detailed.json"),
    ];
    await writeFile(files[0]!, JSON.stringify(summary({})));
    await writeFile(files[1]!, JSON.stringify(detailed));
  });
  afterAll(() => cleanup());

  it("refuses to guess the deployment: one line naming the missing flags, exit 2, nothing stored", async () => {
    const r = await runCli(["import", "vllm", files[0]!, "--db", db, "--hardware", "h200"]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      "",
      "infermark: import vllm needs --gpus, --framework, --precision: a vllm bench serve result does not record the GPU, GPU count, framework or precision it ran with\n",
    ]);
    const unknown = await runCli([
      "import",
      "vllm",
      files[0]!,
      "--db",
      db,
      ...FLAGS,
      "--hardware",
      "h2",
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "infermark: --hardware h2: the catalog has no such GPU (infermark catalog gpus lists them; a catalog override file declares more: --catalog FILE)\n",
    );
  });

  it("stores one point per result; importing the files again stores nothing new", async () => {
    const first = await runCli([
      "import",
      "vllm",
      ...files,
      "--db",
      db,
      ...FLAGS,
      "--utc-offset",
      "+02:00",
    ]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`ok       ${files[0]}: 1 inserted, 0 unchanged\n`);
    expect(first.stdout).toContain(`ok       ${files[1]}: 1 inserted, 0 unchanged\n`);
    expect(first.stdout).toContain(
      "  warning: ISL/OSL 1024/1024 derived from the results' tokens per completed request, rounded (give --isl and --osl for the nominal lengths)\n",
    );
    expect(first.stdout).toContain(
      "2 file(s): 2 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped\n",
    );

    const again = await runCli([
      "import",
      "vllm",
      ...files,
      "--db",
      db,
      ...FLAGS,
      "--utc-offset",
      "+02:00",
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      "2 file(s): 0 inserted, 2 unchanged, 0 rejected, 0 row(s) skipped\n",
    );

    const store = await openStore(db);
    try {
      const points = (await store.queryPoints()).map((s) => s.point);
      expect(points).toHaveLength(2);
      const [plain, rich] = [...points].sort((a, b) => a.run.date.localeCompare(b.run.date));
      expect(plain!.run).toEqual({
        source: "imported",
        date: "2025-10-14T08:15:00+02:00",
        // the result's identity: a hash of its own fields, the same whatever the flags
        runId: "vllm-8dfb36310b28a142",
        importedFrom: `vllm:${"vllm-infqps-concurrency8-Llama-3.3-70B-Instruct-20251014-081500.json"}`,
      });
      expect(plain!.config.model).toBe("llama70b");
      expect(plain!.config.load).toEqual({
        mode: "concurrency",
        concurrency: 8,
        requests: 80,
        durationS: 40,
      });
      expect(plain!.metrics.tputPerGpu).toBe(512);
      expect(plain!.metrics.ttft).toEqual({ mean: 0.12, median: 0.11, std: 0.02, p99: 0.18 });
      expect(plain!.metrics.intvty!.median).toBe(100);
      expect(plain!.metrics.e2el).toBeUndefined();
      // the per-request arrays give the E2EL the default --percentile-metrics left out, and counts
      expect(rich!.run.importedFrom).toBe("vllm:detailed.json");
      expect(rich!.config.workload.isl).toBe(1024);
      expect(rich!.config.workload.osl).toBe(4);
      expect(rich!.metrics.e2el!.mean).toBeCloseTo(0.195, 12);
      expect(rich!.metrics.e2el!.count).toBe(2);
      expect(rich!.metrics.ttft!.count).toBe(2);
      expect(rich!.metrics.ttft!.mean).toBe(0.12);
    } finally {
      await store.close();
    }
  });

  it("frontier and report read the imported points", async () => {
    const frontier = await runCli(["frontier", "--db", db, "--json"]);
    expect(frontier.code).toBe(0);
    const json = JSON.parse(frontier.stdout) as {
      groups: { group: string; frontier: { x: number; y: number; concurrency: number }[] }[];
    };
    const group = json.groups.find((g) => g.group === "llama70b 1024/1024 h200 vllm fp8 agg");
    expect(group?.frontier).toEqual([expect.objectContaining({ x: 100, y: 512, concurrency: 8 })]);

    const html = join(dir, "report.html");
    const report = await runCli(["report", db, "-o", html]);
    expect(report.code).toBe(0);
    const text = await readFile(html, "utf8");
    expect(text).toContain("vllm:detailed.json");
  });

  it("reads --append-result files (one result a line) and Python's Infinity (--burstiness inf)", async () => {
    const appended = join(dir, "appended.json");
    const line = (rate: number, date: string) =>
      JSON.stringify(
        summary({ date, request_rate: rate, max_concurrency: null, burstiness: 0 }),
      ).replace('"burstiness":0', '"burstiness":Infinity');
    await writeFile(appended, `${line(4, "20251101-100000")}\n${line(8, "20251101-101000")}`);
    const r = await runCli([
      "import",
      "vllm",
      appended,
      "--db",
      db,
      ...FLAGS,
      "--isl",
      "1000",
      "--osl",
      "1000",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`ok       ${appended}: 2 inserted, 0 unchanged\n`);
    expect(r.stdout).not.toContain("derived");
    const store = await openStore(db);
    try {
      const loads = (await store.queryPoints({ isl: 1000 }))
        .map((s) => s.point.config.load)
        .sort((a, b) => a.rate! - b.rate!);
      expect(loads).toEqual([
        { mode: "rate", rate: 4, arrival: "constant", requests: 80, durationS: 40 },
        { mode: "rate", rate: 8, arrival: "constant", requests: 80, durationS: 40 },
      ]);
    } finally {
      await store.close();
    }
  });

  it("re-importing a result with corrected flags replaces its point; a copy under another name adds nothing", async () => {
    const own = join(dir, "corrected.db");
    const file = join(dir, "corrected.json");
    await writeFile(file, JSON.stringify(summary({ date: "20251020-090000" })));
    const deployment = ["--hardware", "h200", "--framework", "vllm", "--precision", "fp8"];
    const first = await runCli(["import", "vllm", file, "--db", own, ...deployment, "--gpus", "4"]);
    expect(first.stdout).toContain(`ok       ${file}: 1 inserted, 0 unchanged\n`);

    // the GPU count was wrong, and the host's offset missing: the same result, imported again with the right flags
    const fixed = [...deployment, "--gpus", "8", "--utc-offset", "+02:00"];
    const again = await runCli(["import", "vllm", file, "--db", own, ...fixed]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `ok       ${file}: 1 inserted, 0 unchanged, 1 stored point(s) replaced\n`,
    );
    expect(again.stdout).toContain(
      "1 file(s): 1 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped, 1 stored point(s) replaced\n",
    );
    const same = await runCli(["import", "vllm", file, "--db", own, ...fixed]);
    expect(same.stdout).toContain(`ok       ${file}: 0 inserted, 1 unchanged\n`);
    const copy = join(dir, "corrected-copy.json");
    await writeFile(copy, await readFile(file, "utf8"));
    const copied = await runCli(["import", "vllm", copy, "--db", own, ...fixed]);
    expect(copied.code).toBe(0);
    expect(copied.stdout).toContain(
      `ok       ${copy}: 0 inserted, 0 unchanged, 1 duplicate(s) merged\n`,
    );

    // a run link given later: the result's stored point is found by its identity, and replaced
    const link = "https://ci.example/runs/7";
    const linked = await runCli(["import", "vllm", file, "--db", own, ...fixed, "--run-url", link]);
    expect(linked.stdout).toContain(
      `ok       ${file}: 1 inserted, 0 unchanged, 1 stored point(s) replaced\n`,
    );

    const csv = await runCli(["export", "--db", own, "--format", "csv"]);
    const header = csv.stdout.split("\n")[0]!.split(",");
    const rows = csv.stdout.trim().split("\n").slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.split(",")[header.indexOf("tput_per_gpu")]).toBe("512");
    const frontier = JSON.parse((await runCli(["frontier", "--db", own, "--json"])).stdout) as {
      groups: { frontier: { y: number }[] }[];
    };
    expect(frontier.groups.map((g) => g.frontier.map((p) => p.y))).toEqual([[512]]);
    const dedupe = await runCli(["db", "dedupe", "--db", own, "--dry-run"]);
    expect(dedupe.stdout).toBe("no duplicate points: nothing to remove\n");

    const store = await openStore(own);
    try {
      const [point, ...more] = (await store.queryPoints()).map((s) => s.point);
      expect(more).toEqual([]);
      expect(point!.run).toEqual({
        source: "imported",
        date: "2025-10-20T09:00:00+02:00",
        ciUrl: link,
        runId: expect.stringMatching(/^vllm-[0-9a-f]{16}$/),
        importedFrom: "vllm:corrected.json",
      });
      expect(point!.config.topology.gpus).toBe(8);
    } finally {
      await store.close();
    }
  });

  it("refuses a layout that does not fit the GPUs: one line, exit 2, nothing stored", async () => {
    const own = join(dir, "layout.db");
    const deployment = ["--hardware", "h200", "--framework", "vllm", "--precision", "fp8"];
    const cases: [string[], string][] = [
      [["--gpus", "4", "--tp", "8"], "--tp 8 does not divide --gpus 4 into whole workers"],
      [["--gpus", "12", "--tp", "8"], "--tp 8 does not divide --gpus 12 into whole workers"],
      [
        ["--prefill-gpus", "2", "--decode-gpus", "8", "--tp", "4"],
        "--tp 4 does not divide --prefill-gpus 2 into whole workers",
      ],
      [
        ["--gpus", "8", "--tp", "4", "--ep", "8"],
        "--ep 8 is more than --tp 4: experts are spread inside a worker",
      ],
      [
        ["--gpus", "8", "--ep", "2"],
        "--ep 2 is more than --tp 1: experts are spread inside a worker",
      ],
    ];
    for (const [flags, message] of cases) {
      const r = await runCli(["import", "vllm", files[0]!, "--db", own, ...deployment, ...flags]);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, "", `infermark: ${message}\n`]);
    }
    const fits = await runCli([
      "import",
      "vllm",
      files[0]!,
      "--db",
      own,
      ...deployment,
      ...["--prefill-gpus", "4", "--decode-gpus", "8", "--tp", "4", "--ep", "4"],
    ]);
    expect(fits.stdout).toContain(`ok       ${files[0]}: 1 inserted, 0 unchanged\n`);
    const store = await openStore(own);
    try {
      const [point, ...more] = (await store.queryPoints()).map((s) => s.point);
      expect(more).toEqual([]);
      expect(point!.config.topology.prefill).toMatchObject({ tp: 4, ep: 4, workers: 1, gpus: 4 });
      expect(point!.config.topology.decode).toMatchObject({ tp: 4, ep: 4, workers: 2, gpus: 8 });
    } finally {
      await store.close();
    }
  });

  it("rejects a file that is no vLLM result, saying what it holds", async () => {
    const other = join(dir, "other.json");
    await writeFile(other, JSON.stringify({ hello: 1 }));
    const r = await runCli(["import", "vllm", other, "--db", db, ...FLAGS]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `rejected ${other}: not a vllm bench serve result (expected model_id, completed, total_token_throughput)\n`,
    );
  });
});
