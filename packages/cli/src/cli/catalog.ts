import type { Command } from "commander";
import { loadCatalog } from "../commands/catalog.js";
import { renderTable } from "./output.js";

export function registerCatalog(program: Command): void {
  const catalog = program
    .command("catalog")
    .description("show the GPU and model catalog with sources");
  catalog
    .command("gpus")
    .description("list GPUs: memory, bandwidth, TFLOPS, scale-up, power and price tiers")
    .option("--catalog <file>", "catalog override file (YAML); also INFERMARK_CATALOG")
    .option("--json", "print JSON")
    .action(async (opts: { catalog?: string; json?: boolean }) => {
      const { gpus } = await loadCatalog(opts.catalog);
      if (opts.json) return console.log(JSON.stringify(gpus, null, 2));
      const rows = Object.values(gpus).map((g) => [
        g.key,
        String(g.hbmGb),
        String(g.hbmTbps),
        String(g.tflops.bf16),
        String(g.tflops.fp8),
        g.tflops.fp4 ? String(g.tflops.fp4) : "-",
        `${g.scaleUpGBps}/${g.scaleUpDomain}`,
        String(g.allInKw),
        `${g.price.hyperscaler}/${g.price.neocloud}/${g.price.rental}`,
      ]);
      console.log(
        renderTable(
          [
            "gpu",
            "HBM GB",
            "TB/s",
            "BF16",
            "FP8",
            "FP4",
            "scale-up GB/s/domain",
            "all-in kW",
            "$/GPU-h hyp/neo/rent",
          ],
          rows,
        ),
      );
      console.log("\nSources:");
      for (const g of Object.values(gpus)) {
        const { spec, price } = g.sources;
        // a source without a date (a user override that gave none) is cited without one
        const dated = (s: { source: string; date: string }) =>
          `${s.source}${s.date ? ` (${s.date})` : ""}`;
        console.log(
          `  ${g.key}: spec ${dated(spec)}${spec.note ? `; ${spec.note}` : ""}; price ${dated(price)}${price.note ? `; ${price.note}` : ""}`,
        );
      }
    });
  catalog
    .command("models")
    .description("list models: layers, attention, experts, parameters, KV per token")
    .option("--catalog <file>", "catalog override file (YAML); also INFERMARK_CATALOG")
    .option("--json", "print JSON")
    .action(async (opts: { catalog?: string; json?: boolean }) => {
      const { models } = await loadCatalog(opts.catalog);
      if (opts.json) return console.log(JSON.stringify(models, null, 2));
      const rows = Object.values(models).map((m) => [
        m.key,
        m.hfId,
        String(m.layers),
        m.attention.kind,
        m.moe ? `${m.moe.routedExperts} top-${m.moe.topK}` : "dense",
        `${m.activeParamsB}B / ${m.totalParamsB}B`,
        String(m.kvElementsPerToken),
      ]);
      console.log(
        renderTable(
          ["model", "HF id", "layers", "attention", "experts", "active/total", "KV elems/token"],
          rows,
        ),
      );
    });
}
