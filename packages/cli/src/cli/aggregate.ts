import { writeFile } from "node:fs/promises";
import { pointSummary } from "@infermark/core";
import type { Command } from "commander";
import { aggregateRecordsFile } from "../commands/aggregate.js";
import { renderSummary } from "./output.js";
import { checkGpuFlags, positiveInt, positiveNumber } from "./parse.js";

export function registerAggregate(program: Command): void {
  program
    .command("aggregate")
    .description("aggregate a RequestRecord JSONL file into a PointResult and print its metrics")
    .argument("<records>", "RequestRecord JSONL file")
    .option(
      "--gpus <n>",
      "GPUs serving the point (default 1; with --prefill-gpus and --decode-gpus, their sum)",
      positiveInt("--gpus"),
    )
    .option("--prefill-gpus <n>", "prefill GPUs (disaggregated)", positiveInt("--prefill-gpus"))
    .option("--decode-gpus <n>", "decode GPUs (disaggregated)", positiveInt("--decode-gpus"))
    .option("--model <name>", "model name")
    .option("--hardware <gpu>", "GPU catalog key")
    .option("--framework <name>", "serving framework")
    .option("--precision <p>", "precision (bf16, fp8, fp4)")
    .option("--isl <n>", "nominal input length", positiveInt("--isl"))
    .option("--osl <n>", "nominal output length", positiveInt("--osl"))
    .option("--concurrency <n>", "concurrency level", positiveInt("--concurrency"))
    .option("--slo-ttft <s>", "TTFT SLO in seconds (goodput)", positiveNumber("--slo-ttft"))
    .option("--slo-tpot <s>", "TPOT SLO in seconds (goodput)", positiveNumber("--slo-tpot"))
    .option("--slo-e2el <s>", "E2EL SLO in seconds (goodput)", positiveNumber("--slo-e2el"))
    .option("-o, --output <file>", "write the PointResult JSON here")
    .option("--json", "print the PointResult as JSON")
    .action(async (file: string, opts) => {
      checkGpuFlags(opts);
      const slo =
        opts.sloTtft || opts.sloTpot || opts.sloE2el
          ? { ttftS: opts.sloTtft, tpotS: opts.sloTpot, e2elS: opts.sloE2el }
          : undefined;
      const point = await aggregateRecordsFile(file, { ...opts, slo });
      if (opts.output) await writeFile(opts.output, `${JSON.stringify(point, null, 2)}\n`);
      if (opts.json) console.log(JSON.stringify(point, null, 2));
      else console.log(renderSummary(file, pointSummary(point)));
      if (!point.validity.valid) process.exitCode = 1;
    });
}
