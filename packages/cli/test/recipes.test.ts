// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions
import { spawnSync } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { planSweep } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { specPathInRepository, writeGithubWorkflow } from "../src/sweep/github/write-workflow.js";
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
      "vllm serve deepseek-ai/DeepSeek-R1-0528 --host 0.0.0.0 --port 8000 --tensor-parallel-size 8 --kv-cache-dtype fp8 --max-model-len 2304 --max-num-seqs 512 --gpu-memory-utilization 0.9 --no-enable-prefix-caching --trust-remote-code",
    );
    expect(command(plan, "dsr1-h200-vllm-fp8-tp8-ep8-dpa-mtp3-8k1k")).toBe(
      `vllm serve deepseek-ai/DeepSeek-R1-0528 --host 0.0.0.0 --port 8000 --tensor-parallel-size 1 --data-parallel-size 8 --enable-expert-parallel --speculative-config '{"method": "deepseek_mtp", "num_speculative_tokens": 3}' --kv-cache-dtype fp8 --max-model-len 9472 --max-num-seqs 512 --gpu-memory-utilization 0.9 --no-enable-prefix-caching --trust-remote-code`,
    );
  });

  it("SGLang in docker: --enable-dp-attention --dp 8 --ep-size 8 and EAGLE MTP", async () => {
    const plan = await recipe("sglang-dsr1-fp8-tp8.yaml");
    expect(command(plan, "dsr1-b200-sglang-fp8-tp8-ep8-dpa-mtp3-1k1k")).toBe(
      "docker run --rm --init --name infermark-dsr1-b200-sglang-fp8-tp8-ep8-dpa-mtp3-1k1k-8000 --network host --ipc host --gpus all --shm-size 32g -e HF_TOKEN -v /root/.cache/huggingface:/root/.cache/huggingface lmsysorg/sglang:v0.5.1-cu126 python3 -m sglang.launch_server --model-path deepseek-ai/DeepSeek-R1-0528 --host 0.0.0.0 --port 8000 --tp 8 --trust-remote-code --kv-cache-dtype fp8_e4m3 --mem-fraction-static 0.85 --enable-dp-attention --dp 8 --ep-size 8 --speculative-algorithm EAGLE --speculative-num-steps 3 --speculative-eagle-topk 1 --speculative-num-draft-tokens 4 --cuda-graph-max-bs 512 --max-running-requests 512 --disable-radix-cache",
    );
  });

  it("trtllm-serve: options file with attention DP and MTP, --tp_size/--ep_size", async () => {
    const plan = await recipe("trtllm-dsr1-fp8-tp8.yaml");
    const cmd = command(plan, "dsr1-b200-trt-fp8-tp8-ep8-dpa-mtp3-1k1k")!;
    expect(cmd).toContain(
      "printf 'enable_attention_dp: true\\ncuda_graph_config:\\n  enable_padding: true\\n  max_batch_size: 512\\n",
    );
    expect(cmd).toContain(
      "printf 'speculative_config:\\n  decoding_type: MTP\\n  num_nextn_predict_layers: 3\\n' >> /tmp/infermark-trtllm-options.yml",
    );
    expect(cmd).toContain(
      "exec trtllm-serve deepseek-ai/DeepSeek-R1-0528 --host 0.0.0.0 --port 8000 --backend pytorch --tp_size 8 --ep_size 8 --max_batch_size 512",
    );
    expect(command(plan, "dsr1-b200-trt-fp8-tp8-1k1k")).not.toContain("speculative_config");
  });

  it("Dynamo: frontend and SGLang worker in one process group", async () => {
    const plan = await recipe("dynamo-dsr1-fp8-tp8.yaml");
    expect(command(plan, "dsr1-h200-dynamo-sglang-fp8-tp8-ep8-dpa-1k1k")).toBe(
      "python3 -m dynamo.frontend --http-port 8000 & python3 -m dynamo.sglang --model-path deepseek-ai/DeepSeek-R1-0528 --served-model-name deepseek-ai/DeepSeek-R1-0528 --tp 8 --trust-remote-code --kv-cache-dtype fp8_e4m3 --mem-fraction-static 0.85 --enable-dp-attention --dp 8 --ep-size 8 --disable-radix-cache & wait -n",
    );
  });
});

describe("the two-node SGLang disaggregation recipe", () => {
  it("starts each worker on its node of the job, the router in front, and its job asks for 2 nodes of 8 GPUs", async () => {
    const plan = await recipe("sglang-disagg-dsr1-fp8-2node.yaml");
    expect(plan.servers.map((s) => s.topology.gpus)).toEqual([16, 16, 16, 16]);
    const cmd = command(plan, "dsr1-h200-sglang-fp8-p1xtp8-d1xtp8-dpa-1k1k")!;
    expect(cmd).toContain(
      `srun --overlap --nodes=1 --ntasks=1 -w "\${nodes[1]}" python3 -m sglang.launch_server --model-path deepseek-ai/DeepSeek-R1-0528 --trust-remote-code --tp 8 --enable-dp-attention --dp 8 --disaggregation-mode decode`,
    );
    expect(cmd).toContain(
      `python3 -m sglang_router.launch_router --pd-disaggregation --prefill "http://\${nodes[0]}:30001" --decode "http://\${nodes[1]}:30002" --host 0.0.0.0 --port 8000 & wait -n`,
    );
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
        `echo "matrix=$(npx infermark plan 'examples/recipes/sglang-dsr1-fp8-tp8.yaml' --github-matrix)" >> "$GITHUB_OUTPUT"`,
      );
      const sweep = wf.jobs.sweep;
      expect(sweep.needs).toBe("plan");
      expect(sweep.strategy.matrix).toBe("${{ fromJSON(needs.plan.outputs.matrix) }}");
      expect(sweep["runs-on"]).toBe("${{ matrix.runsOn }}");
      expect(sweep["timeout-minutes"]).toBe(360);
      const measure = sweep.steps.find((s: { name?: string }) => s.name?.startsWith("Measure"));
      expect(measure.run).toBe(
        "npx infermark sweep 'examples/recipes/sglang-dsr1-fp8-tp8.yaml' --executor local --server '${{ matrix.server }}' --output-dir results --no-ingest ${{ inputs.force && '--force' || '' }}",
      );
      const upload = sweep.steps.find(
        (s: { uses?: string }) => s.uses === "actions/upload-artifact@v4",
      );
      expect(upload.with).toMatchObject({ name: "infermark-${{ matrix.name }}", path: "results/" });
      expect(wf.jobs.report.needs).toBe("sweep");
      expect(wf.jobs.report.if).toBe("always()");
      const runs = wf.jobs.report.steps.map((s: { run?: string }) => s.run).filter(Boolean);
      expect(runs).toContain("npx infermark report infermark.db --output report.html");
      expect(runs.some((r: string) => r.includes("npx infermark ingest --db infermark.db"))).toBe(
        true,
      );
      // a shared PostgreSQL from a repository secret, when it is set (a secret cannot be tested in `if:` itself)
      expect(wf.jobs.report.env).toEqual({ INFERMARK_DB_URL: "${{ secrets.INFERMARK_DB_URL }}" });
      expect(
        wf.jobs.report.steps.find((s: { name?: string }) => s.name?.includes("shared database")),
      ).toEqual({
        name: "Store the PointResults in the shared database",
        if: "env.INFERMARK_DB_URL != ''",
        run: 'npx infermark ingest --db "$INFERMARK_DB_URL" results',
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
