import { pointSummary } from "@infermark/core";
import { type Command, Option } from "commander";
import { aggregateRecordsFile } from "../commands/aggregate.js";
import { writeExport } from "../commands/export.js";
import { sameFileAs } from "../commands/same-file.js";
import { UsageError } from "../errors.js";
import { renderSummary } from "./output.js";
import {
  addSloFlags,
  checkGpuFlags,
  checkLoadFlags,
  positiveInt,
  positiveNumber,
} from "./parse.js";

export function registerAggregate(program: Command): void {
  const command = program
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
    .option(
      "--concurrency <n>",
      "closed-loop level the records came from",
      positiveInt("--concurrency"),
    )
    .option(
      "--rate <r>",
      "open-loop level the records came from, requests/s",
      positiveNumber("--rate"),
    )
    .option(
      "--max-concurrency <n>",
      "the rate-mode level's cap on requests in flight",
      positiveInt("--max-concurrency"),
    )
    .addOption(
      new Option(
        "--source <kind>",
        "what answered the requests: a real engine or a simulator (default: simulated when the point bench or sweep wrote beside the records is a simulator's, else measured)",
      ).choices(["measured", "simulated"]),
    )
    .option(
      "--max-client-lag <ms>",
      "send lag p99 bound (ms), as bench's (not judged for simulated records or under --max-concurrency)",
      positiveNumber("--max-client-lag"),
      10,
    );
  addSloFlags(command)
    .option("-o, --output <file>", "write the PointResult JSON here")
    .option("--json", "print the PointResult as JSON")
    .action(async (file: string, opts) => {
      checkGpuFlags(opts);
      checkLoadFlags(opts, { required: false });
      if (opts.output === "-")
        throw new UsageError(
          "-o -: -o writes the PointResult to a file; --json prints it on stdout",
        );
      if (opts.output && (await sameFileAs(opts.output, [file])))
        throw new UsageError(
          `-o ${opts.output}: is the records file being aggregated, which the point would replace: write it to another file`,
        );
      const slo =
        opts.sloTtft || opts.sloTpot || opts.sloE2el
          ? { ttftS: opts.sloTtft, tpotS: opts.sloTpot, e2elS: opts.sloE2el }
          : undefined;
      const point = await aggregateRecordsFile(file, {
        ...opts,
        maxClientLagMs: opts.maxClientLag,
        slo,
      });
      if (opts.output) await writeExport(opts.output, `${JSON.stringify(point, null, 2)}\n`);
      if (opts.json) console.log(JSON.stringify(point, null, 2));
      else console.log(renderSummary(file, pointSummary(point)));
      if (!point.validity.valid) process.exitCode = 1;
    });
}
