// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions
import { spawnSync } from "node:child_process";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planSweep } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { freePort } from "../src/sweep/free-port.js";
import { specPathInRepository, writeGithubWorkflow } from "../src/sweep/github/write-workflow.js";
import { launchServer } from "../src/sweep/launch-server.js";
import { loadSweepSpec } from "../src/sweep/load-spec.js";
import { jobScript } from "../src/sweep/slurm/run-slurm.js";
import { REPO_ROOT, tempDir } from "./helpers.js";

const recipe = async (name: string) =>
  planSweep(await loadSweepSpec(join(REPO_ROOT, "examples/recipes", name)));
const command = (plan: Awaited<ReturnType<typeof recipe>>, server: string) =>
  plan.servers.find((s) => s.name === server)?.command;

describe("shipped engine recipes render the engines' documented flags", () => {
  it("vLLM: TP8; DP attention as DP8 with expert parallelism; MTP via --speculative-config", async () => {
    const plan = await recipe("vllm-dsr1-fp8-tp8.yaml");
    expect(plan.servers).toHaveLength(16);
    expect(command(plan, "dsr1-h200-vllm-fp8-tp8-1k1k")).toBe(
      "vllm serve deepseek-ai/DeepSeek-R1-0528 --host 0.0.0.0 --port 8000 --tensor-parallel-size 8 --kv-cache-dtype fp8 --max-model-len 2304 --max-num-seqs 512 --gpu-memory-utilization 0.9 --no-enable-prefix-caching --trust-remote-code --enable-prompt-tokens-details",
    );
    expect(command(plan, "dsr1-h200-vllm-fp8-tp8-ep8-dpa-mtp3-8k1k")).toBe(
      `vllm serve deepseek-ai/DeepSeek-R1-0528 --host 0.0.0.0 --port 8000 --tensor-parallel-size 1 --data-parallel-size 8 --enable-expert-parallel --speculative-config '{"method": "mtp", "num_speculative_tokens": 3}' --kv-cache-dtype fp8 --max-model-len 9472 --max-num-seqs 512 --gpu-memory-utilization 0.9 --no-enable-prefix-caching --trust-remote-code --enable-prompt-tokens-details`,
    );
  });

  it("SGLang in docker: --enable-dp-attention --dp-size 8 --ep-size 8 and EAGLE MTP", async () => {
    const plan = await recipe("sglang-dsr1-fp8-tp8.yaml");
    expect(command(plan, "dsr1-b200-sglang-fp8-tp8-ep8-dpa-mtp3-1k1k")).toBe(
      "docker run --rm --init --name infermark-dsr1-b200-sglang-fp8-tp8-ep8-dpa-mtp3-1k1k-8000 --network host --ipc host --gpus all --shm-size 32g -e HF_TOKEN -v /root/.cache/huggingface:/root/.cache/huggingface lmsysorg/sglang:v0.5.1-cu126 python3 -m sglang.launch_server --model-path deepseek-ai/DeepSeek-R1-0528 --host 0.0.0.0 --port 8000 --tp-size 8 --trust-remote-code --kv-cache-dtype fp8_e4m3 --mem-fraction-static 0.85 --enable-dp-attention --dp-size 8 --ep-size 8 --speculative-algorithm EAGLE --speculative-num-steps 3 --speculative-eagle-topk 1 --speculative-num-draft-tokens 4 --cuda-graph-max-bs 512 --max-running-requests 512 --disable-radix-cache --enable-metrics --enable-cache-report",
    );
  });

  it("trtllm-serve: options file in the server's folder with attention DP and MTP, --tp_size/--ep_size", async () => {
    const plan = await recipe("trtllm-dsr1-fp8-tp8.yaml");
    const cmd = command(plan, "dsr1-b200-trt-fp8-tp8-ep8-dpa-mtp3-1k1k")!;
    // the plan shows {{scratchDir}} as mkdtemp's template; each start makes its own (below)
    expect(
      cmd.startsWith(
        'options="/tmp/infermark-dsr1-b200-trt-fp8-tp8-ep8-dpa-mtp3-1k1k-XXXXXX/trtllm-options.yml" && ',
      ),
    ).toBe(true);
    expect(cmd).toContain(
      "printf 'enable_attention_dp: true\\ncuda_graph_config:\\n  enable_padding: true\\n  max_batch_size: 512\\n",
    );
    expect(cmd).toContain(
      `printf 'speculative_config:\\n  decoding_type: MTP\\n  num_nextn_predict_layers: 3\\n' >> "$options"`,
    );
    // chunked prefill is off: max_num_tokens holds the longest prompt ({{maxModelLen}}), at least 8192
    expect(cmd).toContain(
      `exec trtllm-serve deepseek-ai/DeepSeek-R1-0528 --host 0.0.0.0 --port 8000 --backend pytorch --tp_size 8 --ep_size 8 --max_batch_size 512 --max_num_tokens $(( 2304 > 8192 ? 2304 : 8192 )) --max_seq_len 2304 --trust_remote_code --extra_llm_api_options "$options"`,
    );
    expect(command(plan, "dsr1-b200-trt-fp8-tp8-8k1k")).toContain(
      "--max_num_tokens $(( 9472 > 8192 ? 9472 : 8192 )) --max_seq_len 9472",
    );
    expect(command(plan, "dsr1-b200-trt-fp8-tp8-1k1k")).not.toContain("speculative_config");
    for (const s of plan.servers) {
      const syntax = spawnSync("bash", ["-n", "-c", s.command!]);
      expect([s.name, syntax.status, syntax.stderr.toString()]).toEqual([s.name, 0, ""]);
    }
  });

  it("Dynamo: frontend and SGLang worker in one process group, discovering each other in the server's scratch folder", async () => {
    const plan = await recipe("dynamo-dsr1-fp8-tp8.yaml");
    expect(command(plan, "dsr1-h200-dynamo-sglang-fp8-tp8-ep8-dpa-1k1k")).toBe(
      'export DYN_FILE_KV="/tmp/infermark-dsr1-h200-dynamo-sglang-fp8-tp8-ep8-dpa-1k1k-XXXXXX/dynamo-discovery"; python3 -m dynamo.frontend --http-port 8000 --discovery-backend file & python3 -m dynamo.sglang --discovery-backend file --model-path deepseek-ai/DeepSeek-R1-0528 --served-model-name deepseek-ai/DeepSeek-R1-0528 --tp-size 8 --trust-remote-code --kv-cache-dtype fp8_e4m3 --mem-fraction-static 0.85 --enable-dp-attention --dp-size 8 --ep-size 8 --disable-radix-cache & wait -n',
    );
    // the frontend answers /health before the worker has registered; /v1/models lists the model only after
    expect(plan.spec.readiness).toMatchObject({ path: "/health", modelsPath: "/v1/models" });
  });
});

/**
 * The flag that makes each engine, at the recipe's pinned image, put a request's prefix-cache hits in
 * `usage.prompt_tokens_details.cached_tokens` (what a session or trace scenario records per request), read in the
 * engine's source; `null` where the engine has none to turn on (docs/bench.md, "Cached tokens by engine").
 */
const CACHED_TOKENS_FLAG: Record<string, string | null> = {
  // vLLM 0.25.1: vllm/entrypoints/openai/cli_args.py, BaseFrontendArgs.enable_prompt_tokens_details ("enable
  // prompt_tokens_details in usage"; a frontend flag since vLLM 0.6, still there in 2026), off by default
  "vllm-dsr1-fp8-tp8.yaml": "--enable-prompt-tokens-details",
  // SGLang 0.5.1: python/sglang/srt/server_args.py, ServerArgs.enable_cache_report / --enable-cache-report ("Return
  // number of cached tokens in usage.prompt_tokens_details"), read by entrypoints/openai/usage_processor.py
  "sglang-dsr1-fp8-tp8.yaml": "--enable-cache-report",
  // off: the router answers with the decode worker's usage, which need not count the prefill worker's hits
  "sglang-disagg-dsr1-fp8-2node.yaml": null,
  // TensorRT-LLM 1.0.0: trtllm-serve fills usage.prompt_tokens_details (tensorrt_llm/serve/openai_protocol.py
  // PromptTokensDetails, from the executor's per-request cached_tokens) only since TensorRT-LLM PR #7637, on main
  // after the 1.0 branch (still in review 2025-09-19); no flag turns it on
  "trtllm-dsr1-fp8-tp8.yaml": null,
  // Dynamo 1.1.1: the frontend copies the worker's completion_usage.prompt_tokens_details with no flag; the SGLang
  // worker (components/src/dynamo/sglang/request_handlers/llm/decode_handler.py) fills it from SGLang's
  // meta_info.cached_tokens when above 0, whatever --enable-cache-report says
  "dynamo-dsr1-fp8-tp8.yaml": null,
};

describe("shipped recipes and per-request cached tokens", () => {
  it("every shipped recipe is in the table", async () => {
    const files = (await readdir(join(REPO_ROOT, "examples/recipes"))).filter((f) =>
      f.endsWith(".yaml"),
    );
    expect(files.sort()).toEqual(Object.keys(CACHED_TOKENS_FLAG).sort());
  });

  for (const [file, flag] of Object.entries(CACHED_TOKENS_FLAG)) {
    it(`${file}: ${flag ?? "no flag"} in every server's command`, async () => {
      const plan = await recipe(file);
      const reportFlags = ["--enable-prompt-tokens-details", "--enable-cache-report"];
      for (const s of plan.servers) {
        const words = s.command!.split(/\s+/);
        expect([s.name, words.filter((w) => reportFlags.includes(w))]).toEqual([
          s.name,
          flag ? [flag] : [],
        ]);
      }
    });
  }
});

describe("the TensorRT-LLM recipe's extra options file", () => {
  it("is each server start's own: two configurations, and one configuration started twice, never share one", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const spec = await loadSweepSpec(
        join(REPO_ROOT, "examples/recipes/trtllm-dsr1-fp8-tp8.yaml"),
      );
      if (spec.server.kind !== "command") throw new Error("the recipe runs a shell command");
      const recipe = spec.server;
      const plan = planSweep(spec);
      const server = (name: string) => plan.servers.find((s) => s.name === name)!;
      const mtp = server("dsr1-b200-trt-fp8-tp8-ep8-dpa-mtp3-1k1k");
      const plain = server("dsr1-b200-trt-fp8-tp8-8k1k");
      const written: { scratchDir: string; command: string; options: string }[] = [];
      // two configurations of one sweep, and the first again as another sweep on the node would start it
      for (const [i, s] of [mtp, plain, mtp].entries()) {
        const out = join(dir, `sweep-${i}`);
        await mkdir(out);
        const running = await launchServer({
          // a free port of its own (8000 may be taken on this machine); the recipe as shipped otherwise
          spec: { ...spec, server: { ...recipe, port: await freePort() } },
          server: s,
          logPath: join(out, "server.log"),
          selfCommand: [],
          cwd: out,
        });
        const scratchDir = running.scratchDir!;
        try {
          // trtllm-serve is not installed here: the command writes its options file, then its exec fails
          await running.process!.exited;
          written.push({
            scratchDir,
            command: running.command!,
            options: await readFile(join(scratchDir, "trtllm-options.yml"), "utf8"),
          });
        } finally {
          await running.stop();
        }
        // removed with the server: nothing of it left for the next start to find
        await expect(readdir(scratchDir)).rejects.toThrow(/ENOENT/);
      }
      // before, every one of them wrote /tmp/infermark-trtllm-options.yml: the last one started won
      expect(new Set(written.map((w) => w.scratchDir)).size).toBe(3);
      for (const [i, s] of [mtp, plain, mtp].entries()) {
        const w = written[i]!;
        expect(w.scratchDir.startsWith(join(tmpdir(), `infermark-${s.name}-`))).toBe(true);
        expect(w.command.split(" && ")[0]).toBe(`options="${w.scratchDir}/trtllm-options.yml"`);
      }
      const common =
        "cuda_graph_config:\n  enable_padding: true\n  max_batch_size: 512\nkv_cache_config:\n  dtype: fp8\n  free_gpu_memory_fraction: 0.85\nprint_iter_log: true\n";
      const mtpOptions = `enable_attention_dp: true\n${common}speculative_config:\n  decoding_type: MTP\n  num_nextn_predict_layers: 3\n`;
      expect(written.map((w) => w.options)).toEqual([
        mtpOptions,
        `enable_attention_dp: false\n${common}`,
        mtpOptions,
      ]);
    } finally {
      await cleanup();
    }
  });
});

describe("the two-node SGLang disaggregation recipe", () => {
  it("starts each worker on its node of the job, the router in front, and its job asks for 2 nodes of 8 GPUs", async () => {
    const plan = await recipe("sglang-disagg-dsr1-fp8-2node.yaml");
    expect(plan.servers.map((s) => s.topology.gpus)).toEqual([16, 16, 16, 16]);
    const cmd = command(plan, "dsr1-h200-sglang-fp8-p1xtp8-d1xtp8-dpa-1k1k")!;
    expect(cmd).toContain(
      `srun --overlap --nodes=1 --ntasks=1 -w "\${nodes[1]}" python3 -m sglang.launch_server --model-path deepseek-ai/DeepSeek-R1-0528 --trust-remote-code --tp-size 8 --enable-dp-attention --dp-size 8 --disaggregation-mode decode`,
    );
    expect(cmd).toContain(
      `python3 -m sglang_router.launch_router --pd-disaggregation --prefill "http://\${nodes[0]}:30001" --decode "http://\${nodes[1]}:30002" --host 0.0.0.0 --port 8000 --worker-startup-timeout-secs 3600 & wait -n`,
    );
    // the router's /health is its liveness (200 before any worker is up); /readiness waits for a prefill and a decode
    expect(plan.spec.readiness).toMatchObject({ path: "/readiness", timeoutS: 3600 });
    // bash reads the rendered command
    const syntax = spawnSync("bash", ["-n", "-c", cmd]);
    expect([syntax.status, syntax.stderr.toString()]).toEqual([0, ""]);
    const [server] = plan.servers;
    const job = jobScript(
      {
        plan,
        servers: plan.servers,
        specPath: "/s.yaml",
        outputDir: "/out",
        power: "auto",
        force: false,
        selfCommand: ["infermark"],
        cwd: "/",
        flags: {},
      },
      server!,
    );
    expect(job.split("\n").filter((l) => /--nodes|--ntasks|gpus/.test(l))).toEqual([
      "#SBATCH --nodes=2",
      "#SBATCH --ntasks-per-node=1",
      "#SBATCH --gpus-per-node=8",
    ]);
  });
});

describe("--executor github writes a workflow", () => {
  it("names the spec by its path in the repository the runners check out, and refuses one outside it", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      // a repository root (.git) above the folder the command runs in
      await mkdir(join(dir, ".git"));
      await mkdir(join(dir, "sweeps"));
      expect(specPathInRepository(join(dir, "sweeps/a.yaml"), join(dir, "sweeps"))).toBe(
        "sweeps/a.yaml",
      );
      expect(specPathInRepository("a.yaml", join(dir, "sweeps"))).toBe("sweeps/a.yaml");
      // written as typed, /tmp/... did not exist on a runner
      expect(() => specPathInRepository("/elsewhere/a.yaml", dir)).toThrow(
        `the spec /elsewhere/a.yaml is outside the repository the workflow runs in (${dir})`,
      );
    } finally {
      await cleanup();
    }
  });

  it("with a plan job, a matrix job per server configuration on the given labels, and a report job", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const plan = await recipe("sglang-dsr1-fp8-tp8.yaml");
      const path = await writeGithubWorkflow({
        plan,
        specPath: "examples/recipes/sglang-dsr1-fp8-tp8.yaml",
        cwd: dir,
      });
      expect(path).toBe(join(dir, ".github/workflows/infermark-sweep.yml"));
      const wf = parseYaml(await readFile(path, "utf8"));
      expect(Object.keys(wf.jobs)).toEqual(["plan", "sweep", "report"]);
      // a catalog override (a GPU or model the catalog lacks) reaches every job from a repository variable
      expect(wf.env).toEqual({ INFERMARK_CATALOG: "${{ vars.INFERMARK_CATALOG }}" });
      expect(wf.jobs.plan.outputs.matrix).toBe("${{ steps.plan.outputs.matrix }}");
      expect(wf.jobs.plan.steps.at(-1).run).toBe(
        `echo "matrix=$(npx --no infermark plan 'examples/recipes/sglang-dsr1-fp8-tp8.yaml' --github-matrix)" >> "$GITHUB_OUTPUT"`,
      );
      const sweep = wf.jobs.sweep;
      expect(sweep.needs).toBe("plan");
      expect(sweep.strategy.matrix).toBe("${{ fromJSON(needs.plan.outputs.matrix) }}");
      expect(sweep["runs-on"]).toBe("${{ matrix.runsOn }}");
      expect(sweep["timeout-minutes"]).toBe(360);
      const measure = sweep.steps.find((s: { name?: string }) => s.name?.startsWith("Measure"));
      expect(measure.run).toBe(
        "npx --no infermark sweep 'examples/recipes/sglang-dsr1-fp8-tp8.yaml' --executor local --server '${{ matrix.server }}' --output-dir results --no-ingest ${{ inputs.force && '--force' || '' }} ${{ github.run_attempt != '1' && '--retry-invalid' || '' }}",
      );
      const upload = sweep.steps.find(
        (s: { uses?: string }) => s.uses === "actions/upload-artifact@v4",
      );
      expect(upload.with).toMatchObject({ name: "infermark-${{ matrix.name }}", path: "results/" });
      expect(wf.jobs.report.needs).toBe("sweep");
      expect(wf.jobs.report.if).toBe("${{ !cancelled() }}");
      const runs = wf.jobs.report.steps.map((s: { run?: string }) => s.run).filter(Boolean);
      expect(runs).toContain("npx --no infermark report infermark.db --output report.html");
      expect(
        runs.some((r: string) => r.includes("npx --no infermark ingest --db infermark.db")),
      ).toBe(true);
      // a shared PostgreSQL from a repository secret, when it is set (a secret cannot be tested in `if:` itself),
      // given to that step alone
      expect(wf.jobs.report.env).toEqual({
        INFERMARK_SHARED_DB: "${{ secrets.INFERMARK_DB_URL != '' }}",
      });
      expect(
        wf.jobs.report.steps.find((s: { name?: string }) => s.name?.includes("shared database")),
      ).toEqual({
        name: "Store the PointResults in the shared database",
        if: "env.INFERMARK_SHARED_DB == 'true'",
        env: { INFERMARK_DB: "${{ secrets.INFERMARK_DB_URL }}" },
        run: "npx --no infermark ingest results",
      });
      // the matrix the plan job prints: one entry per configuration, runner labels per GPU
      const { githubMatrix } = await import("@infermark/core");
      const matrix = githubMatrix(plan);
      expect(matrix.include).toHaveLength(32);
      expect(matrix.include[0]!.runsOn).toEqual(["self-hosted", "h200"]);
      expect(matrix.include[31]!.runsOn).toEqual(["self-hosted", "b200"]);
    } finally {
      await cleanup();
    }
  });
});
