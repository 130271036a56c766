import type { GpuSpec, ModelSpec, SourceRef } from "@infermark/core";
import type { Command } from "commander";
import { loadCatalog } from "../commands/catalog.js";
import { renderTable } from "./output.js";

/** A source as cited: its name, its date in brackets when it has one (a user override may not), then its note. */
const cited = (s: SourceRef) =>
  `${s.source}${s.date ? ` (${s.date})` : ""}${s.note ? `; ${s.note}` : ""}`;

function gpuTable(gpus: readonly GpuSpec[]): string {
  const rows = gpus.map((g) => [
    g.key,
    String(g.hbmGb),
    String(g.hbmTbps),
    String(g.tflops.bf16),
    String(g.tflops.fp8),
    g.tflops.fp4 ? String(g.tflops.fp4) : "-",
    `${g.scaleUpGBps}/${g.scaleUpDomain}`,
    String(g.nicGbps),
    String(g.tdpW),
    String(g.allInKw),
    `${g.price.hyperscaler}/${g.price.neocloud}/${g.price.rental}`,
  ]);
  const header = [
    "gpu",
    "HBM GB",
    "TB/s",
    "BF16",
    "FP8",
    "FP4",
    "scale-up GB/s/domain",
    "NIC Gb/s",
    "TDP W",
    "all-in kW",
    "$/GPU-h hyp/neo/rent",
  ];
  // every group of figures by its source: spec (memory to TDP), price tiers, all-in power
  const sources = gpus.map(
    (g) =>
      `  ${g.key}: spec ${cited(g.sources.spec)}; price ${cited(g.sources.price)}; power ${cited(g.sources.power)}`,
  );
  return [renderTable(header, rows), "", "Sources:", ...sources].join("\n");
}

function modelTable(models: readonly ModelSpec[]): string {
  const attention = (m: ModelSpec) =>
    m.attention.kind === "mla"
      ? `mla, ${m.attention.heads} heads`
      : `gqa, ${m.attention.heads} heads, ${m.attention.kvHeads} KV`;
  const experts = (m: ModelSpec) =>
    m.moe
      ? `${m.moe.routedExperts} top-${m.moe.topK}${m.moe.sharedExperts ? ` + ${m.moe.sharedExperts} shared` : ""}`
      : "dense";
  const rows = models.map((m) => [
    m.key,
    m.hfId,
    String(m.layers),
    String(m.hidden),
    attention(m),
    experts(m),
    `${m.activeParamsB}B / ${m.totalParamsB}B${m.mtpParamsB ? ` (+${m.mtpParamsB}B MTP)` : ""}`,
    String(m.kvElementsPerToken),
    String(m.maxContext),
  ]);
  const header = [
    "model",
    "HF id",
    "layers",
    "hidden",
    "attention",
    "experts",
    "active/total",
    "KV elems/token",
    "max context",
  ];
  const sources = models.map((m) => `  ${m.key}: ${cited(m.source)}`);
  return [renderTable(header, rows), "", "Sources:", ...sources].join("\n");
}

export function registerCatalog(program: Command): void {
  const catalog = program
    .command("catalog")
    .description("show the GPU and model catalog with sources");
  catalog
    .command("gpus")
    .description("list GPUs: memory, bandwidth, TFLOPS, scale-up, NIC, TDP, power and price tiers")
    .option("--catalog <file>", "catalog override file (YAML); also INFERMARK_CATALOG")
    .option("--json", "print JSON")
    .action(async (opts: { catalog?: string; json?: boolean }) => {
      const { gpus } = await loadCatalog(opts.catalog);
      if (opts.json) return console.log(JSON.stringify(gpus, null, 2));
      console.log(gpuTable(Object.values(gpus)));
    });
  catalog
    .command("models")
    .description(
      "list models: layers, hidden size, attention, experts, parameters, KV per token, context",
    )
    .option("--catalog <file>", "catalog override file (YAML); also INFERMARK_CATALOG")
    .option("--json", "print JSON")
    .action(async (opts: { catalog?: string; json?: boolean }) => {
      const { models } = await loadCatalog(opts.catalog);
      if (opts.json) return console.log(JSON.stringify(models, null, 2));
      console.log(modelTable(Object.values(models)));
    });
}
