import { describe, expect, it } from "vitest";
import { SweepSpec, type SweepSpecInput } from "../schemas/sweep-spec.js";
import { githubMatrix } from "./github-matrix.js";
import { PlanError } from "./plan-error.js";
import { planSweep } from "./plan-sweep.js";
import type { PlanOptions } from "./types.js";

const base: SweepSpecInput = {
  name: "t",
  model: "dsr1",
  modelId: "deepseek-ai/DeepSeek-R1",
  hardware: "h200",
  framework: "vllm",
  image: "vllm/vllm-openai:v0.10.1",
  precision: "fp8",
  scenarios: [{ isl: 1024, osl: 1024 }],
  search: { tp: [8], concurrency: [4, 16] },
  server: {
    kind: "command",
    command:
      "vllm serve {{modelId}} --port {{port}} -tp {{tp}}{{#expertParallel}} --enable-expert-parallel{{/expertParallel}}{{#mtp}} --num-spec {{draftTokens}}{{/mtp}}",
  },
};
const plan = (over: Partial<SweepSpecInput> = {}) =>
  planSweep(SweepSpec.parse({ ...base, ...over }));

describe("planSweep", () => {
  it("expands hardware x layout x spec decoding x scenario into servers, and levels into points", () => {
    const p = plan({
      hardware: ["h200", "b200"],
      search: {
        tp: [8],
        ep: [1, 8],
        specDecoding: [{ method: "none" }, { method: "mtp", draftTokens: 3 }],
        concurrency: { from: 4, to: 64, factor: 4 },
      },
      scenarios: [
        { isl: 1024, osl: 1024 },
        { isl: 8192, osl: 1024 },
      ],
    });
    expect(p.servers).toHaveLength(2 * 2 * 2 * 2);
    expect(p.points).toHaveLength(16 * 3);
    expect(p.servers.map((s) => s.name).slice(0, 4)).toEqual([
      "dsr1-h200-vllm-fp8-tp8-1k1k",
      "dsr1-h200-vllm-fp8-tp8-8k1k",
      "dsr1-h200-vllm-fp8-tp8-mtp3-1k1k",
      "dsr1-h200-vllm-fp8-tp8-mtp3-8k1k",
    ]);
    expect(p.points.slice(0, 3).map((x) => x.name)).toEqual([
      "dsr1-h200-vllm-fp8-tp8-1k1k-c4",
      "dsr1-h200-vllm-fp8-tp8-1k1k-c16",
      "dsr1-h200-vllm-fp8-tp8-1k1k-c64",
    ]);
    expect(new Set(p.points.map((x) => x.fingerprint)).size).toBe(48);
    expect(new Set(p.points.map((x) => x.name)).size).toBe(48);
    const ep = p.servers.find((s) => s.name === "dsr1-b200-vllm-fp8-tp8-ep8-mtp3-8k1k")!;
    expect(ep.command).toBe(
      "vllm serve deepseek-ai/DeepSeek-R1 --port 8000 -tp 8 --enable-expert-parallel --num-spec 3",
    );
  });

  it("fills the point configuration, request counts and load", () => {
    const point = plan().points[1]!;
    expect(point.requests).toBe(160);
    expect(point.warmupRequests).toBe(32);
    expect(point.config).toEqual({
      model: "dsr1",
      modelId: "deepseek-ai/DeepSeek-R1",
      hardware: "h200",
      framework: "vllm",
      image: "vllm/vllm-openai:v0.10.1",
      precision: "fp8",
      specDecoding: { method: "none" },
      topology: {
        disaggregated: false,
        multinode: false,
        gpus: 8,
        prefillGpus: 8,
        decodeGpus: 8,
        prefill: { tp: 8, ep: 1, pp: 1, dpAttention: false, workers: 1, gpus: 8 },
        decode: { tp: 8, ep: 1, pp: 1, dpAttention: false, workers: 1, gpus: 8 },
      },
      workload: { kind: "random", isl: 1024, osl: 1024 },
      load: { mode: "concurrency", concurrency: 16, requests: 160, warmupRequests: 32 },
    });
  });

  it("keeps fingerprints stable across names, descriptions, ports, readiness and executors", () => {
    const a = plan();
    const b = plan({
      name: "renamed",
      description: "x",
      readiness: { timeoutS: 5 },
      server: { ...(base.server as object), port: 9000 } as SweepSpecInput["server"],
      executor: { github: { runsOn: ["x"] } },
    });
    expect(b.points.map((p) => p.fingerprint)).toEqual(a.points.map((p) => p.fingerprint));
    // ...but not across anything that changes what is measured
    expect(plan({ image: "vllm/vllm-openai:v0.11.0" }).points[0]!.fingerprint).not.toBe(
      a.points[0]!.fingerprint,
    );
    expect(plan({ limits: { requestsPerConcurrency: 5 } }).points[0]!.fingerprint).not.toBe(
      a.points[0]!.fingerprint,
    );
    expect(a.points[0]!.serverKey).toBe(a.points[1]!.serverKey);
    // where the API key is read from says nothing of what is measured: adding or renaming it measures nothing again
    const fp = (bench?: SweepSpecInput["bench"]) => plan({ bench }).points[0]!.fingerprint;
    expect(fp({ apiKeyEnv: "GATEWAY_KEY" })).toBe(a.points[0]!.fingerprint);
    expect(fp({ apiKeyEnv: "A", prefixLength: 100 })).toBe(fp({ prefixLength: 100 }));
    expect(fp({ prefixLength: 100 })).not.toBe(a.points[0]!.fingerprint);
  });

  it("pins the fingerprint of a known point (change FINGERPRINT_VERSION when this moves)", () => {
    expect(plan().points[0]!.fingerprint).toBe("ec23d6d032d8f3f3");
  });

  it("plans disaggregated pools with their own TP/EP and sums their GPUs", () => {
    const p = plan({
      search: {
        disaggregated: {
          prefill: { workers: [2], tp: [4] },
          decode: { tp: [8], ep: [8], dpAttention: [true] },
        },
        concurrency: [256],
      },
    });
    expect(p.servers.map((s) => s.name)).toEqual(["dsr1-h200-vllm-fp8-p2xtp4-d1xtp8-ep8-dpa-1k1k"]);
    const t = p.points[0]!.config.topology;
    expect([t.gpus, t.prefillGpus, t.decodeGpus, t.disaggregated]).toEqual([16, 8, 8, true]);
    expect(p.servers[0]!.vars).toMatchObject({
      prefillTp: 4,
      prefillWorkers: 2,
      decodeEp: 8,
      decodeDp: 8,
    });
  });

  it("skips combinations that make no sense and says why", () => {
    const p = plan({ search: { tp: [4, 8], ep: [8], dpAttention: [false], concurrency: [1] } });
    expect(p.servers.map((s) => s.name)).toEqual(["dsr1-h200-vllm-fp8-tp8-ep8-1k1k"]);
    expect(p.skipped).toEqual([
      {
        hardware: "h200",
        description: "tp4 ep8",
        reason: "ep 8 exceeds the tp 4 group it shards experts over",
      },
    ]);
    expect(() => plan({ search: { tp: [1], dpAttention: [true], concurrency: [1] } })).toThrow(
      PlanError,
    );
  });

  it("refuses a TP that does not divide the spec's gpus, naming it, rather than leaving it out", () => {
    // before, tp 3 beside tp 8 was left out with a line among the skipped, and the plan went on (exit 0)
    expect(
      SweepSpec.safeParse({
        ...base,
        gpus: 8,
        search: { tp: [3, 8], concurrency: [4] },
      }).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    ).toEqual([
      "search.tp.0: tp 3 does not divide gpus 8 (the GPUs of each server): give a TP that divides it, or leave gpus out (each server then has its TP's GPUs)",
    ]);
    expect(
      plan({ gpus: 8, search: { tp: [4, 8], concurrency: [4] } }).servers.map((s) => s.name),
    ).toEqual(["dsr1-h200-vllm-fp8-tp4-1k1k", "dsr1-h200-vllm-fp8-tp8-1k1k"]);
  });

  it("rejects a docker recipe without an image", () => {
    expect(() =>
      plan({
        image: undefined,
        server: { kind: "docker", command: "python3 -m sglang.launch_server" },
      }),
    ).toThrow(
      new PlanError(
        "server.image: a docker recipe needs an image (set server.image or the spec's image)",
      ),
    );
  });

  it("rejects a concurrency range that holds no level", () => {
    expect(() => plan({ search: { tp: [8], concurrency: { from: 64, to: 4 } } })).toThrow(
      new PlanError("search.concurrency: from 64 is above to 4, so the range holds no level"),
    );
  });

  it("refuses a concurrency range of more levels than a sweep may hold, before expanding it", () => {
    // 1 to 1e6 (the most a level may hold) by 1.0000001 is ~1.4e8 steps: expanding it ran the process out of memory
    expect(() =>
      plan({ search: { tp: [8], concurrency: { from: 1, to: 1e6, factor: 1.0000001 } } }),
    ).toThrow(
      new PlanError(
        "search.concurrency: from 1 to 1000000 by factor 1.0000001 is 138155113 levels, more than the 10000 points a sweep may hold; raise factor or narrow from/to",
      ),
    );
  });

  it("refuses a search space of more points than a sweep may hold, saying how many", () => {
    const grid = {
      tp: [1, 2, 4, 8, 16, 32, 64, 128],
      ep: [1, 2, 4, 8, 16, 32, 64, 128],
      dpAttention: [true, false],
      specDecoding: [1, 2, 3, 4].map((draftTokens) => ({ method: "mtp", draftTokens })),
      concurrency: { from: 1, to: 1024, factor: 1.05 },
    };
    // 71 layouts (ep <= tp, ep | tp, no DP attention at tp 1) x 4 spec decodings x 101 distinct levels
    expect(() => plan({ search: grid })).toThrow(
      new PlanError(
        'the search space of "t" holds 28684 points (284 server configurations), more than the 10000 a sweep may hold; narrow search (or split it into several specs)',
      ),
    );
    expect(plan({ search: { ...grid, concurrency: [1] } }).points).toHaveLength(284);
    expect(() =>
      planSweep(SweepSpec.parse({ ...base, search: { tp: [8], concurrency: [1, 2, 3] } }), {
        maxPoints: 2,
      }),
    ).toThrow(/holds 3 points \(1 server configuration\), more than the 2 a sweep may hold/);
  });

  it("keeps names unique when two options differ only in what the name leaves out", () => {
    const p = plan({
      search: {
        tp: [8],
        specDecoding: [
          { method: "mtp", draftTokens: 1, acceptanceLength: 1.7 },
          { method: "mtp", draftTokens: 1, acceptanceLength: 1.9 },
        ],
        concurrency: [1],
      },
    });
    const [a, b] = p.servers.map((s) => s.name);
    expect(a).toBe("dsr1-h200-vllm-fp8-tp8-mtp1-1k1k");
    expect(b).toMatch(/^dsr1-h200-vllm-fp8-tp8-mtp1-1k1k-[0-9a-f]{6}$/);
  });

  it("reports an unknown template placeholder at plan time", () => {
    expect(() =>
      plan({ server: { kind: "command", command: "serve --tp {{tensor_parallel}}" } }),
    ).toThrow(/unknown placeholder \{\{tensor_parallel\}\}/);
  });

  it("names the recipe field of a template mistake, and checks server.env and docker args at plan time", () => {
    const message = (server: SweepSpecInput["server"]) => {
      try {
        plan({ server });
      } catch (error) {
        return (error as Error).message.split(";")[0];
      }
      return "planned";
    };
    expect(message({ kind: "command", command: "serve --tp {{tensor_parallel}}" })).toBe(
      "server.command: unknown placeholder {{tensor_parallel}}",
    );
    // before, server.env was rendered only when the server started: every point of it failed then
    expect(
      message({ kind: "command", command: "serve", env: { VLLM_PORT: "{{prot}}", A: "{{port}}" } }),
    ).toBe("server.env.VLLM_PORT: unknown placeholder {{prot}}");
    expect(message({ kind: "docker", args: "--gpus {{gpu}}", command: "serve" })).toBe(
      "server.args: unknown placeholder {{gpu}}",
    );
    expect(message({ kind: "docker", command: "serve {{modelId --port {{port}}" })).toBe(
      'server.command: "{{modelId --port " opens a placeholder that is never closed with }}',
    );
  });

  it("refuses a recipe var that would hide a placeholder the plan fills", () => {
    // before, vars: {tp: 4} rendered --tp 4 while every point recorded tp 8
    expect(() =>
      plan({ server: { kind: "command", command: "serve --tp {{tp}}", vars: { tp: 4 } } }),
    ).toThrow(
      new PlanError(
        "server.vars.tp: tp is a placeholder the plan fills for each server configuration (the layout, the scenario, its port); give the recipe's constant another name",
      ),
    );
    // {{scratchDir}} is filled when the server starts, like {{port}}: a constant of that name would hide it
    expect(() =>
      plan({
        server: {
          kind: "command",
          command: "serve > {{scratchDir}}/o",
          vars: { scratchDir: "/tmp" },
        },
      }),
    ).toThrow(
      new PlanError(
        "server.vars.scratchDir: scratchDir is a placeholder the plan fills for each server configuration (the layout, the scenario, its port); give the recipe's constant another name",
      ),
    );
  });

  it("shows {{scratchDir}} as the folder a server's start makes (command and env may use it)", () => {
    const p = plan({
      server: {
        kind: "command",
        command: 'serve --options "{{scratchDir}}/options.yml"',
        env: { CACHE: "{{scratchDir}}/cache" },
      },
    });
    expect(p.servers.map((s) => s.command)).toEqual([
      'serve --options "/tmp/infermark-dsr1-h200-vllm-fp8-tp8-1k1k-XXXXXX/options.yml"',
    ]);
  });

  it("refuses a value listed twice, naming where, rather than planning one server twice", () => {
    const issues = (over: Partial<SweepSpecInput>) =>
      SweepSpec.safeParse({ ...base, ...over }).error?.issues.map(
        (i) => `${i.path.join(".")}: ${i.message}`,
      );
    expect(issues({ hardware: ["h200", "b200", "H200"] })).toEqual([
      'hardware.2: "H200" is listed twice (also hardware[0]); remove the repeat',
    ]);
    expect(issues({ search: { tp: [4, 8, 8], concurrency: [4] } })).toEqual([
      "search.tp.2: 8 is listed twice (also search.tp[1]); remove the repeat",
    ]);
    expect(issues({ search: { tp: [8], concurrency: [4, 8, 8] } })).toEqual([
      "search.concurrency.2: 8 is listed twice (also search.concurrency[1]); remove the repeat (or fix the level meant)",
    ]);
    // scenarios and options compare as planned: the same server configuration, the same fingerprints
    expect(() =>
      plan({
        scenarios: [
          { isl: 1024, osl: 1024 },
          { isl: 8192, osl: 1024 },
          { isl: 1024, osl: 1024 },
        ],
      }),
    ).toThrow(
      new PlanError(
        "scenarios[2] is the same scenario as scenarios[0] (both plan dsr1-h200-vllm-fp8-tp8-1k1k); remove the repeat",
      ),
    );
    expect(() =>
      plan({
        search: {
          tp: [8],
          specDecoding: [
            { method: "mtp", draftTokens: 3 },
            { method: "none" },
            { method: "mtp", draftTokens: 3 },
          ],
          concurrency: [4],
        },
      }),
    ).toThrow(
      new PlanError(
        "search.specDecoding[2] is the same option as search.specDecoding[0] (both plan dsr1-h200-vllm-fp8-tp8-mtp3-1k1k); remove the repeat",
      ),
    );
  });

  it("says what is wrong with an empty list, and only that", () => {
    const issues = (over: Partial<SweepSpecInput>) =>
      SweepSpec.safeParse({ ...base, ...over }).error?.issues.map((i) => i.path.join("."));
    // before: also "every scenario is a trace ..." and "... the top concurrency -Infinity ..."
    expect(issues({ scenarios: [] })).toEqual(["scenarios"]);
    expect(issues({ search: { tp: [8], concurrency: [] } })).toEqual(["search.concurrency"]);
  });

  it("refuses a readiness path without its leading slash", () => {
    // before, "health" was asked for at http://127.0.0.1:8000health, and every server timed out
    expect(
      SweepSpec.safeParse({ ...base, readiness: { path: "health" } }).error?.issues.map(
        (i) => `${i.path.join(".")}: ${i.message}`,
      ),
    ).toEqual([
      'readiness.path: a path on the server starts with "/": write "/health", got "health"',
    ]);
  });
});

describe("planSweep with multi-turn scenarios", () => {
  const session = {
    isl: 1024,
    osl: 1024,
    workload: "multi-turn",
    turns: 4,
    thinkTimeMs: 1000,
    thinkTime: "exponential",
    prefixLength: 512,
  } as const;

  it("names a session scenario apart from the random one of the same ISL/OSL, and leaves the random one as it was", () => {
    const p = plan({ scenarios: [{ isl: 1024, osl: 1024 }, session] });
    expect(p.servers.map((s) => s.name)).toEqual([
      "dsr1-h200-vllm-fp8-tp8-1k1k",
      "dsr1-h200-vllm-fp8-tp8-1k1k-mt4",
    ]);
    expect(p.points.map((x) => x.name)).toEqual([
      "dsr1-h200-vllm-fp8-tp8-1k1k-c4",
      "dsr1-h200-vllm-fp8-tp8-1k1k-c16",
      "dsr1-h200-vllm-fp8-tp8-1k1k-mt4-c4",
      "dsr1-h200-vllm-fp8-tp8-1k1k-mt4-c16",
    ]);
    // the random points keep the fingerprints they had before sessions existed (pinned above), with or
    // without an explicit `workload: random`
    expect(p.points[0]!.fingerprint).toBe("ec23d6d032d8f3f3");
    const explicit = plan({ scenarios: [{ isl: 1024, osl: 1024, workload: "random" }] });
    expect(explicit.points[0]!.fingerprint).toBe("ec23d6d032d8f3f3");
    expect(explicit.servers[0]!.name).toBe("dsr1-h200-vllm-fp8-tp8-1k1k");
    expect(new Set(p.points.map((x) => x.fingerprint)).size).toBe(4);
    expect(p.servers[0]!.key).not.toBe(p.servers[1]!.key);
  });

  it("pins the fingerprint of a known session point", () => {
    expect(plan({ scenarios: [session] }).points[0]!.fingerprint).toBe("0f5d74e6fab6e424");
  });

  it("tells sessions of other turns, think times or system prompts apart, and fills the defaults before hashing", () => {
    const fp = (over: Record<string, unknown>) =>
      plan({ scenarios: [{ ...session, ...over }] }).points[0]!.fingerprint;
    const base = fp({});
    for (const over of [
      { turns: 8 },
      { thinkTimeMs: 0 },
      { thinkTime: "fixed" },
      { prefixLength: 0 },
      { rangeRatio: 1 },
    ])
      expect(fp(over), JSON.stringify(over)).not.toBe(base);
    // unset think time is 0 ms, fixed: the same sessions as when written out
    expect(fp({ thinkTimeMs: undefined, thinkTime: undefined })).toBe(
      fp({ thinkTimeMs: 0, thinkTime: "fixed" }),
    );
  });

  it("records the session workload in each point's configuration", () => {
    const p = plan({ scenarios: [session] });
    expect(p.points[1]!.config.workload).toEqual({
      kind: "session",
      isl: 1024,
      osl: 1024,
      turns: 4,
      thinkTimeMs: 1000,
      thinkTime: "exponential",
      prefixLength: 512,
    });
    expect(p.points[1]!.config.load).toEqual({
      mode: "concurrency",
      concurrency: 16,
      requests: 160,
      warmupRequests: 32,
    });
  });

  it("sizes the server's context for the whole conversation: prefix + turns x (isl + osl) + 256 + 16 per message", () => {
    const p = plan({ scenarios: [{ isl: 1024, osl: 1024 }, session] });
    // a session's last turn: a system prompt and 2 x 4 messages, each wrapped by the chat template
    expect(p.servers.map((s) => s.vars.maxModelLen)).toEqual([
      2048 + 256,
      512 + 4 * 2048 + 256 + 16 * 9,
    ]);
    expect(p.servers.map((s) => [s.vars.multiTurn, s.vars.turns])).toEqual([
      [false, 1],
      [true, 4],
    ]);
    // without its own system prompt, a session takes the spec's bench.prefixLength as the load generator does
    const shared = plan({
      scenarios: [{ ...session, prefixLength: undefined }],
      bench: { prefixLength: 100 },
    });
    expect(shared.points[0]!.config.workload.prefixLength).toBe(100);
    expect(shared.servers[0]!.vars.maxModelLen).toBe(100 + 4 * 2048 + 256 + 16 * 9);
  });

  it("fills a server command's {{maxModelLen}} from the conversation", () => {
    const p = plan({
      scenarios: [{ isl: 1000, osl: 200, workload: "multi-turn", turns: 2 }],
      server: {
        kind: "command",
        command: "vllm serve {{modelId}} --max-model-len {{maxModelLen}}",
      },
    });
    // 2 x 1200 + 256 + 16 x 5
    expect(p.servers[0]!.command).toBe("vllm serve deepseek-ai/DeepSeek-R1 --max-model-len 2736");
  });
});

describe("planSweep with dataset scenarios", () => {
  const sha = (c: string) => c.repeat(64);
  const chat = {
    path: "/data/chat.json",
    sha256: sha("a"),
    requests: 12,
    longest: 900,
    isl: 300,
    osl: 200,
  };
  const sessions = { ...chat, turns: 3, longest: 2100, isl: 150, osl: 120 };
  const sharegpt = { workload: "sharegpt", dataset: "data/chat.json" } as const;
  const multiTurn = {
    workload: "multi-turn",
    dataset: "data/chat.json",
    thinkTimeMs: 500,
  } as const;
  const withData = (
    scenarios: SweepSpecInput["scenarios"],
    datasets: PlanOptions["datasets"],
    over: Partial<SweepSpecInput> = {},
  ) => planSweep(SweepSpec.parse({ ...base, scenarios, ...over }), { datasets });

  it("names a dataset scenario by its format and file, and leaves the random and session points as they were", () => {
    const p = withData(
      [
        { isl: 1024, osl: 1024 },
        sharegpt,
        { workload: "jsonl", dataset: "prompts.v2.jsonl", osl: 64 },
        { ...multiTurn, turns: 4 },
        multiTurn,
      ],
      [undefined, chat, { ...chat, sha256: sha("b") }, sessions, sessions],
    );
    expect(p.servers.map((s) => s.name)).toEqual([
      "dsr1-h200-vllm-fp8-tp8-1k1k",
      "dsr1-h200-vllm-fp8-tp8-sharegpt-chat",
      "dsr1-h200-vllm-fp8-tp8-jsonl-prompts.v2-o64",
      "dsr1-h200-vllm-fp8-tp8-sharegpt-chat-mt4",
      "dsr1-h200-vllm-fp8-tp8-sharegpt-chat-mt",
    ]);
    expect(p.points[2]!.name).toBe("dsr1-h200-vllm-fp8-tp8-sharegpt-chat-c4");
    // the pinned random fingerprint, beside dataset scenarios
    expect(p.points[0]!.fingerprint).toBe("ec23d6d032d8f3f3");
    expect(new Set(p.points.map((x) => x.fingerprint)).size).toBe(10);
    expect(p.servers[1]!.dataset).toEqual(chat);
  });

  it("fingerprints a dataset by its content: a changed file is a new point, a moved one is not", () => {
    const fp = (scenario: Record<string, unknown>, dataset: typeof chat) =>
      withData([scenario as SweepSpecInput["scenarios"][number]], [dataset]).points[0]!.fingerprint;
    const a = fp(sharegpt, chat);
    expect(fp(sharegpt, { ...chat, sha256: sha("c") })).not.toBe(a);
    expect(
      fp({ ...sharegpt, dataset: "elsewhere/chat.json" }, { ...chat, path: "/x/chat.json" }),
    ).toBe(a);
    // the measured lengths follow the content (and the tokenizer, which bench options hold): not hashed again
    expect(fp(sharegpt, { ...chat, longest: 901 })).toBe(a);
    for (const over of [{ osl: 64 }, { workload: "jsonl" }])
      expect(fp({ ...sharegpt, ...over }, chat), JSON.stringify(over)).not.toBe(a);
    const mt = fp(multiTurn, sessions);
    expect(mt).not.toBe(a);
    for (const over of [{ turns: 2 }, { thinkTimeMs: 0 }, { thinkTime: "exponential" }])
      expect(fp({ ...multiTurn, ...over }, sessions), JSON.stringify(over)).not.toBe(mt);
  });

  it("pins the fingerprint of a known dataset point", () => {
    expect(withData([sharegpt], [chat]).points[0]!.fingerprint).toBe("2e74d83ff383634c");
  });

  it("records the file's mean lengths and the dataset as the spec names it", () => {
    const p = withData([sharegpt, multiTurn], [chat, sessions]);
    expect(p.points[0]!.config.workload).toEqual({
      kind: "sharegpt",
      isl: 300,
      osl: 200,
      dataset: "data/chat.json",
    });
    expect(p.points[2]!.config.workload).toEqual({
      kind: "session",
      isl: 150,
      osl: 120,
      dataset: "data/chat.json",
      turns: 3,
      thinkTimeMs: 500,
      thinkTime: "fixed",
    });
  });

  it("sizes {{maxModelLen}} for the file's longest request, and gives its mean lengths as {{isl}} and {{osl}}", () => {
    const p = withData([sharegpt, multiTurn], [chat, sessions], {
      server: {
        kind: "command",
        command: "vllm serve {{modelId}} --max-model-len {{maxModelLen}} # {{isl}}/{{osl}}",
      },
    });
    expect(p.servers.map((s) => [s.vars.maxModelLen, s.vars.isl, s.vars.osl])).toEqual([
      [900 + 256, 300, 200],
      [2100 + 256 + 16 * 7, 150, 120],
    ]);
    expect(p.servers.map((s) => [s.vars.multiTurn, s.vars.turns])).toEqual([
      [false, 1],
      [true, 3],
    ]);
    expect(p.servers[0]!.command).toBe(
      "vllm serve deepseek-ai/DeepSeek-R1 --max-model-len 1156 # 300/200",
    );
  });

  it("refuses a dataset scenario whose file it was not given, naming the field", () => {
    expect(() => withData([{ isl: 1024, osl: 1024 }, sharegpt], [])).toThrow(
      new PlanError(
        "scenarios[1].dataset: data/chat.json was not read before planning (planSweep needs options.datasets; the CLI's planSpecFile reads them)",
      ),
    );
  });
});

describe("planSweep with trace scenarios", () => {
  const agent = {
    path: "/data/traces/agent.jsonl",
    sha256: "d".repeat(64),
    requests: 40,
    longest: 4120,
    isl: 2538,
    osl: 105,
    blockSize: 512,
    spanMs: 18_000,
  };
  const trace = {
    workload: "trace" as const,
    dataset: "traces/agent.jsonl",
    speedups: [2, 1, 4],
  };
  const withTrace = (
    scenarios: SweepSpecInput["scenarios"],
    datasets: PlanOptions["datasets"],
    over: Partial<SweepSpecInput> = {},
  ) => planSweep(SweepSpec.parse({ ...base, scenarios, ...over }), { datasets });
  const traceOnly = (scenario: Record<string, unknown>, over: Partial<SweepSpecInput> = {}) =>
    withTrace([scenario as SweepSpecInput["scenarios"][number]], [agent], {
      search: { tp: [8] },
      ...over,
    });

  it("names a trace by its file, its points by their speedups (ascending), and leaves a random scenario beside it as it was", () => {
    const p = withTrace([{ isl: 1024, osl: 1024 }, trace], [undefined, agent]);
    expect(p.points.map((x) => x.name)).toEqual([
      "dsr1-h200-vllm-fp8-tp8-1k1k-c4",
      "dsr1-h200-vllm-fp8-tp8-1k1k-c16",
      "dsr1-h200-vllm-fp8-tp8-trace-agent-x1",
      "dsr1-h200-vllm-fp8-tp8-trace-agent-x2",
      "dsr1-h200-vllm-fp8-tp8-trace-agent-x4",
    ]);
    expect(p.points[0]!.fingerprint).toBe("ec23d6d032d8f3f3");
    expect(new Set(p.points.map((x) => x.fingerprint)).size).toBe(5);
    expect(p.points.slice(2).map((x) => [x.speedup, x.concurrency, x.requests])).toEqual([
      [1, undefined, 40],
      [2, undefined, 40],
      [4, undefined, 40],
    ]);
    expect(traceOnly({ ...trace, maxConcurrency: 8, speedups: [0.5] }).points[0]!.name).toBe(
      "dsr1-h200-vllm-fp8-tp8-trace-agent-cap8-x0.5",
    );
    // without speedups, one replay as recorded
    expect(
      traceOnly({ workload: "trace", dataset: "a/agent.jsonl" }).points.map((x) => x.name),
    ).toEqual(["dsr1-h200-vllm-fp8-tp8-trace-agent-x1"]);
  });

  it("fingerprints a trace by its content, block size, cap, speedup and records replayed, not by its path", () => {
    const fp = (scenario: Record<string, unknown>, dataset = agent, over = {}) =>
      withTrace([scenario as SweepSpecInput["scenarios"][number]], [dataset], {
        search: { tp: [8] },
        ...over,
      }).points[0]!.fingerprint;
    const one = { workload: "trace", dataset: "traces/agent.jsonl" };
    const a = fp(one);
    expect(
      fp({ ...one, dataset: "elsewhere/agent.jsonl" }, { ...agent, path: "/x/agent.jsonl" }),
    ).toBe(a);
    // the block size as the file was read: the default filled in, so saying it changes nothing
    expect(fp({ ...one, blockSize: 512 })).toBe(a);
    // measured figures follow the content: not hashed again
    expect(fp(one, { ...agent, longest: 9999, spanMs: 1 })).toBe(a);
    const others = [
      fp(one, { ...agent, sha256: "e".repeat(64) }),
      fp({ ...one, blockSize: 16 }, { ...agent, blockSize: 16 }),
      fp({ ...one, maxConcurrency: 8 }),
      fp({ ...one, speedups: [2] }),
      fp(one, agent, { limits: { requests: 10 } }),
      withTrace([{ workload: "jsonl", dataset: "traces/agent.jsonl" }], [agent]).points[0]!
        .fingerprint,
    ];
    expect(new Set([a, ...others]).size).toBe(7);
  });

  it("pins the fingerprint of a known trace point", () => {
    expect(traceOnly(trace).points[0]!.fingerprint).toBe("c6b1c471820f17e0");
  });

  it("records the trace as the load generator does, each point at its speedup, in trace load mode", () => {
    const p = traceOnly({ ...trace, maxConcurrency: 8 });
    expect(p.points[1]!.config.workload).toEqual({
      kind: "trace",
      isl: 2538,
      osl: 105,
      dataset: "traces/agent.jsonl",
      trace: {
        file: "agent.jsonl",
        sha256: "d".repeat(64),
        records: 40,
        blockSize: 512,
        speedup: 2,
      },
    });
    expect(p.points.map((x) => x.config.load)).toEqual(
      [1, 2, 4].map(() => ({ mode: "trace", concurrency: 8, requests: 40, warmupRequests: 0 })),
    );
    expect(p.servers[0]!.dataset).toEqual(agent);
  });

  it("replays the first limits.requests records, or all when the trace holds fewer", () => {
    const requests = (n: number) =>
      traceOnly(trace, { limits: { requests: n } }).points.map((x) => x.requests);
    expect(requests(10)).toEqual([10, 10, 10]);
    expect(requests(100)).toEqual([40, 40, 40]);
  });

  it("sizes {{maxModelLen}} for the longest record and {{maxConcurrency}} for the cap, else every record replayed", () => {
    const server = (scenario: Record<string, unknown>) =>
      traceOnly(scenario, {
        server: {
          kind: "command",
          command:
            "vllm serve {{modelId}} --max-model-len {{maxModelLen}} --max-num-seqs {{maxConcurrency}}",
        },
      }).servers[0]!;
    expect(server(trace).command).toBe(
      "vllm serve deepseek-ai/DeepSeek-R1 --max-model-len 4376 --max-num-seqs 40",
    );
    expect(server({ ...trace, maxConcurrency: 8 }).vars).toMatchObject({
      maxModelLen: 4120 + 256,
      maxConcurrency: 8,
      isl: 2538,
      osl: 105,
      multiTurn: false,
    });
  });

  it("refuses a trace whose file it was not given, or was given without its block size, naming the field", () => {
    expect(() => withTrace([{ isl: 1024, osl: 1024 }, trace], [])).toThrow(
      new PlanError(
        "scenarios[1].dataset: traces/agent.jsonl was not read before planning (planSweep needs options.datasets; the CLI's planSpecFile reads them)",
      ),
    );
    const { blockSize: _, ...unsized } = agent;
    expect(() => withTrace([{ isl: 1024, osl: 1024 }, trace], [undefined, unsized])).toThrow(
      new PlanError(
        "scenarios[1].dataset: traces/agent.jsonl was read without its block size (a trace's options.datasets entry needs blockSize)",
      ),
    );
  });
});

describe("githubMatrix", () => {
  it("has one entry per server configuration with runner labels per hardware", () => {
    const p = plan({
      hardware: ["h200", "mi355x"],
      executor: { github: { runsOn: ["self-hosted", "{{hardware}}"] } },
    });
    expect(githubMatrix(p)).toEqual({
      include: [
        {
          server: p.servers[0]!.key,
          name: "dsr1-h200-vllm-fp8-tp8-1k1k",
          hardware: "h200",
          runsOn: ["self-hosted", "h200"],
          points: 2,
        },
        {
          server: p.servers[1]!.key,
          name: "dsr1-mi355x-vllm-fp8-tp8-1k1k",
          hardware: "mi355x",
          runsOn: ["self-hosted", "mi355x"],
          points: 2,
        },
      ],
    });
  });

  it("refuses a runner label with a placeholder other than {{hardware}}", () => {
    // before, "{{hardwre}}" stayed in the label, and each job waited for a runner that no one has
    expect(
      SweepSpec.safeParse({
        ...base,
        executor: { github: { runsOn: ["self-hosted", "{{hardwre}}"] } },
      }).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    ).toEqual([
      "executor.github.runsOn.1: unknown placeholder {{hardwre}}; a runner label may hold {{hardware}} (each configuration's GPU)",
    ]);
  });
});
