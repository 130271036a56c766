import { PointResult } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE, decodeState, type ViewState } from "../state/view-state.js";
import { parallelism, pointTooltip } from "./tooltip.js";

const point = (t: Record<string, unknown>) =>
  PointResult.parse({
    schema: "infermark.point/v1",
    run: { source: "imported", date: "2026-05-20" },
    config: {
      model: "dsr1",
      hardware: "h200",
      framework: "sglang",
      precision: "fp8",
      topology: t,
      workload: { isl: 1024, osl: 1024 },
      load: { mode: "concurrency", concurrency: 4 },
    },
    metrics: { tputPerGpu: 100, intvty: { median: 100 } },
    validity: { valid: true },
  });
const topology = (t: Record<string, unknown>) => point(t).config.topology;

describe("tooltip parallelism", () => {
  it("gives an aggregated deployment's one pool without calling it prefill and decode", () => {
    const tp8 = { tp: 8, ep: 1, gpus: 8 };
    const agg = { gpus: 8, prefillGpus: 8, decodeGpus: 8, prefill: tp8, decode: tp8 };
    expect(parallelism(topology(agg))).toBe("TP8 EP1, 8 GPUs");
    const html = pointTooltip(
      { id: "p", point: point(agg) },
      { xName: "x", yName: "y", x: 1, y: 2 },
    );
    expect(html).toContain("<th>parallelism</th><td>TP8 EP1, 8 GPUs</td>");
  });

  it("names the pools of a disaggregated deployment, with PP and worker counts above one", () => {
    const t = topology({
      disaggregated: true,
      gpus: 24,
      prefillGpus: 8,
      decodeGpus: 16,
      prefill: { tp: 4, pp: 2, ep: 1, workers: 1, gpus: 8 },
      decode: { tp: 8, ep: 8, dpAttention: true, workers: 2, gpus: 16 },
    });
    expect(parallelism(t)).toBe(
      "prefill: TP4 PP2 EP1, 8 GPUs; decode: TP8 EP8 DPA ×2 workers, 16 GPUs",
    );
  });

  it("one GPU in the singular", () => {
    // it said "h200 × 1 GPUs" and "TP1 EP1, 1 GPUs"
    const tp1 = { tp: 1, ep: 1, gpus: 1 };
    const one = { gpus: 1, prefillGpus: 1, decodeGpus: 1, prefill: tp1, decode: tp1 };
    const html = pointTooltip(
      { id: "p", point: point(one) },
      { xName: "x", yName: "y", x: 1, y: 2 },
    );
    expect(html).toContain("<th>hardware</th><td>h200 × 1 GPU</td>");
    expect(html).toContain("<th>parallelism</th><td>TP1 EP1, 1 GPU</td>");
  });

  it("says – when the topology gives no pools", () => {
    expect(parallelism(topology({ gpus: 8, prefillGpus: 8, decodeGpus: 8 }))).toBe("–");
  });
});

describe("tooltip load and workload", () => {
  const tp8 = { tp: 8, ep: 1, gpus: 8 };
  const agg = { gpus: 8, prefillGpus: 8, decodeGpus: 8, prefill: tp8, decode: tp8 };
  const html = (change: (p: PointResult) => void) => {
    const p = point(agg);
    change(p);
    return pointTooltip({ id: "p", point: p }, { xName: "x", yName: "y", x: 1, y: 2 });
  };

  it("names a trace replay's speedup and cap, a capped rate, a closed loop", () => {
    const trace = html((p) => {
      p.config.load = { mode: "trace", rate: 2.17, concurrency: 4 };
      p.config.workload = {
        kind: "trace",
        isl: 2538,
        osl: 105,
        trace: { file: "t.jsonl", sha256: "a".repeat(64), records: 40, blockSize: 512, speedup: 2 },
      };
    });
    expect(trace).toContain("<th>load</th><td>trace x2, max 4</td>");
    expect(html((p) => (p.config.load = { mode: "rate", rate: 2.5, concurrency: 8 }))).toContain(
      "<th>load</th><td>2.5 req/s, max 8</td>",
    );
    expect(html(() => {})).toContain("<th>load</th><td>concurrency 4</td>");
  });

  it("gives the workload kind after the ISL/OSL unless it is random", () => {
    expect(html(() => {})).toContain("<th>model</th><td>dsr1 1024/1024</td>");
    const session = html((p) => {
      p.config.workload = { kind: "session", isl: 1024, osl: 1024, turns: 4 };
    });
    expect(session).toContain("<th>model</th><td>dsr1 1024/1024 session x4</td>");
  });
});

describe("tooltip metadata", () => {
  const tp8 = { tp: 8, ep: 1, gpus: 8 };
  const agg = { gpus: 8, prefillGpus: 8, decodeGpus: 8, prefill: tp8, decode: tp8 };
  const tip = (p: PointResult) =>
    pointTooltip({ id: "p", point: p }, { xName: "x", yName: "y", x: 1, y: 2 });

  it("shows bench's --metadata, escaped, and no row without it", () => {
    const p = point(agg);
    expect(tip(p)).not.toContain("<th>metadata</th>");
    p.extra = { metadata: { driver: "570.86", flags: "<b>" } };
    expect(tip(p)).toContain("<th>metadata</th><td>driver=570.86, flags=&lt;b&gt;</td>");
  });

  it("shows measured energy and the server's counters as the console table does", () => {
    const p = point(agg);
    p.energy = {
      kind: "measured",
      sampler: "nvidia-smi",
      valid: true,
      reasons: [],
      jPerOutputToken: 0.5,
      jPerInputToken: 0.05,
      avgPowerW: 650,
    };
    p.serverMetrics = { delta: { "derived:prefix_cache_hit_rate": 0.25 } };
    const html = tip(p);
    expect(html).toContain(
      "<th>Energy (J per token)</th><td>0.500 output, 0.0500 input (nvidia-smi)</td>",
    );
    expect(html).toContain("<th>Average power per GPU (W)</th><td>650.0</td>");
    expect(html).toContain("<th>Prefix cache hit rate (server)</th><td>25.0%</td>");
  });
});

describe("tooltip links", () => {
  const tp8 = { tp: 8, ep: 1, gpus: 8 };
  const agg = { gpus: 8, prefillGpus: 8, decodeGpus: 8, prefill: tp8, decode: tp8 };
  const links = (html: string) =>
    [...html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);

  it("links the run detail with the view's settings, so the tabs lead back to the view as it was", () => {
    const state: ViewState = {
      ...DEFAULT_STATE,
      view: "compare",
      y: "costPerMillionTotal",
      tier: "neocloud",
      workload: "8192/1024",
      hardware: ["h200"],
    };
    const html = pointTooltip(
      { id: "p 1", point: point(agg) },
      { xName: "x", yName: "y", x: 1, y: 2 },
      state,
    );
    const href = links(html)[0]![0]!.replaceAll("&amp;", "&");
    expect(decodeState(href)).toEqual({ ...state, view: "run", run: "p 1" });
    expect(links(html).map((l) => l[1])).toEqual(["run detail"]);
  });

  it("in the run detail itself, links the source run only, not the view it is in", () => {
    const p = point(agg);
    p.run.ciUrl = "https://github.com/o/r/actions/runs/1";
    const state: ViewState = { ...DEFAULT_STATE, view: "run", run: "p" };
    const html = pointTooltip({ id: "p", point: p }, { xName: "x", yName: "y", x: 1, y: 2 }, state);
    expect(links(html)).toEqual([["https://github.com/o/r/actions/runs/1", "source run"]]);
  });
});

describe("tooltip of a flagged point (Little's law)", () => {
  it("says, next to its figures, how its throughput contradicts itself; a consistent point's says nothing", () => {
    const xy = { xName: "x", yName: "y", x: 20, y: 800 };
    const flagged = makeItem({ id: "f", concurrency: 2, intvty: 20, tput: 800, belowLittle: 10 });
    const rows = pointTooltip(flagged, xy).match(/<tr[^>]*>.*?<\/tr>/g)!;
    expect(rows.slice(0, 3)).toEqual([
      "<tr><th>y</th><td>800</td></tr>",
      "<tr><th>x</th><td>20.0</td></tr>",
      '<tr class="flagged"><th>× output throughput more than 4x from Little&#39;s law</th><td>reports 3200 output tok/s (400 per GPU x 8 decode GPUs), Little&#39;s law gives 32000 (concurrency 2 x 800000 counted output tokens / median E2EL 50.0 s): 0.100x (docs/metrics.md, &quot;Self-consistency&quot;); its figures are shown as published</td></tr>',
    ]);
    const consistent = makeItem({ id: "c", concurrency: 2, intvty: 20, tput: 800 });
    expect(pointTooltip(consistent, xy)).not.toContain("Little");
  });
});

describe("point tooltip's group", () => {
  it("names the point's group first, as the legend labels it, escaped", () => {
    const agg = { gpus: 8, prefillGpus: 8, decodeGpus: 8 };
    const html = pointTooltip(
      { id: "p", point: point(agg) },
      { xName: "x", yName: "y", x: 1, y: 2, group: "h200 sglang fp8 <agg>" },
    );
    expect(html.slice(0, html.indexOf("<table"))).toBe(
      '<div class="tip-group">h200 sglang fp8 &lt;agg&gt;</div>',
    );
  });
});
