import { availableParallelism } from "node:os";
import {
  BenchOptionError,
  createPowerSampler,
  type LevelTelemetry,
  type PowerSampler,
  serverMetricsUrl,
  WorkloadFileError,
} from "@infermark/bench";
import { InfermarkError } from "@infermark/core";
import type { Command } from "commander";
import { benchCommand } from "../commands/bench.js";
import { loadCatalog } from "../commands/catalog.js";
import { removeEmptyFolders, unmadeFolders } from "../commands/unmade-folders.js";
import { UsageError } from "../errors.js";
import { checkGpuKey } from "../sweep/check-catalog-keys.js";
import { sweepDcgmUrl } from "../sweep/dcgm-url.js";
import { addBenchFlags } from "./bench/add-bench-flags.js";
import type { BenchFlags } from "./bench/bench-flags.js";
import { outliveClosedOutput } from "./bench/closed-output.js";
import { consoleHooks } from "./bench/console-hooks.js";
import { leftoverTempFilesLine } from "./bench/leftover-temp-files.js";
import { log } from "./bench/log.js";
import {
  autoWorkersLine,
  notRunLine,
  printBenchResult,
  saturationHint,
  unsetConfigWarning,
} from "./bench/print-bench-result.js";
import { sloUnitWarning } from "./bench/slo-warning.js";
import { SIGNAL_EXIT_STATUS, stopOnSignals } from "./bench/stop-on-signals.js";
import { checkOptions, toCommandOptions } from "./bench/to-command-options.js";

/**
 * Registers `infermark bench`: checks its flags, runs the levels with Ctrl-C, SIGTERM or SIGHUP stopping them, prints
 * each level and the files written, and exits 1 when the run was interrupted or a level is invalid (143 after
 * SIGTERM, 129 after SIGHUP). A closed terminal or pipe on stdout or stderr does not stop the run writing its files.
 * @example registerBench(program)
 */
export function registerBench(program: Command): void {
  addBenchFlags(
    program
      .command("bench")
      .description("drive an OpenAI-compatible server and write one PointResult per load level"),
  ).action(async (opts: BenchFlags, command: Command) => {
    // --range-ratio has a default, so only its source tells whether the user gave it
    const options = toCommandOptions(opts, command.getOptionValueSource("rangeRatio") === "cli");
    options.telemetry = telemetryFlags(opts);
    const resolved = checkOptions(options);
    const slo = sloUnitWarning(opts);
    if (slo) log(slo);
    // made of --base-url once it is known to be a URL
    if (opts.serverMetrics && opts.backend !== "openai")
      options.telemetry.metricsUrl = serverMetricsUrl(opts.baseUrl, opts.backend);
    if (opts.rate?.includes(Number.POSITIVE_INFINITY))
      log(
        `infermark: --rate inf --max-concurrency ${opts.maxConcurrency} runs as --concurrency ${opts.maxConcurrency}: each request is sent as soon as one of the ${opts.maxConcurrency} in flight ends`,
      );
    const threads = autoWorkersLine(opts.workers, resolved.workers, availableParallelism());
    if (threads) log(threads);
    if (opts.hardware) {
      // a typo of a catalog GPU (h2000) is refused; a GPU the catalog lacks (l40s) is measured, with a warning
      let warning: string | undefined;
      try {
        warning = checkGpuKey("--hardware", opts.hardware, await loadCatalog(), false);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      if (warning) log(`infermark: warning: ${warning}`);
    }

    const sampler = await powerSampler(opts);
    if (sampler) options.telemetry.sampler = sampler;
    // the folders the run makes for its files: a run that stops before its first file leaves none behind
    const unmade = await unmadeFolders(opts.outputDir);
    const leftover = await leftoverTempFilesLine(opts.outputDir);
    if (leftover) log(leftover);
    const restoreOutput = outliveClosedOutput();
    const stop = stopOnSignals(opts.drainTimeout);
    try {
      const result = await benchCommand(options, {
        signal: stop.signal,
        cancelSignal: stop.cancelSignal,
        ...consoleHooks(opts.json),
      });
      printBenchResult(result, opts.json);
      const hint = saturationHint(result.levels, availableParallelism());
      if (hint) log(hint);
      const stopped = notRunLine(result);
      if (stopped) log(stopped);
      // after the run, beside the files it names: a bad flag's error stays one line
      const unset = result.levels.length > 0 ? unsetConfigWarning(opts) : undefined;
      if (unset) log(unset);
      if (stop.terminatedBy) process.exitCode = SIGNAL_EXIT_STATUS[stop.terminatedBy];
      else if (result.interrupted || result.levels.some((l) => !l.point.validity.valid))
        process.exitCode = 1;
    } catch (error) {
      // a flag the server refuses (a session longer than the model's context): a usage error
      if (error instanceof BenchOptionError) throw new UsageError(error.message);
      // the file, its line and what is wrong with it, under the flag that named it
      if (error instanceof WorkloadFileError)
        throw new InfermarkError(error.code, `--dataset ${error.message}`, { cause: error });
      throw error;
    } finally {
      stop.dispose();
      await removeEmptyFolders(unmade);
      await restoreOutput();
    }
  });
}

/**
 * The GPUs whose power counts (`--gpu-ids`, or each pool's), checked with the other flags, before the sampler is
 * probed. The server's `/metrics` is added once `--base-url` is checked: unless `--no-server-metrics` or a hosted API
 * (`--backend openai`, which has none to read).
 */
function telemetryFlags(opts: BenchFlags): LevelTelemetry {
  if ((opts.prefillGpuIds === undefined) !== (opts.decodeGpuIds === undefined))
    throw new UsageError("give --prefill-gpu-ids and --decode-gpu-ids together");
  return {
    ...(opts.gpuIds ? { gpuIds: opts.gpuIds } : {}),
    ...(opts.prefillGpuIds && opts.decodeGpuIds
      ? { gpuRoles: { prefill: opts.prefillGpuIds, decode: opts.decodeGpuIds } }
      : {}),
  };
}

/**
 * The power sampler of `--power`: a source that cannot be read is refused in one line before anything is sent;
 * `auto` with none answering says so, and the run measures without.
 */
async function powerSampler(opts: BenchFlags): Promise<PowerSampler | undefined> {
  if (opts.power === "none") {
    if (opts.gpuIds || opts.prefillGpuIds)
      log(
        "infermark: warning: the GPU ids name the GPUs whose power is read, and no power is read (--power)",
      );
    return undefined;
  }
  let sampler: PowerSampler | undefined;
  try {
    // --dcgm-url, else INFERMARK_DCGM_URL (a URL with credentials stays out of shell history and scripts), as a sweep
    const dcgmUrl = sweepDcgmUrl(opts.dcgmUrl, {});
    sampler = await createPowerSampler(opts.power, dcgmUrl ? { dcgmUrl } : {});
  } catch (error) {
    throw new InfermarkError(
      "E_POWER",
      `--power ${opts.power}: ${(error as Error).message}; use --power auto (none when no source answers) or none`,
    );
  }
  if (!sampler) log("infermark: --power auto: no power source answered; energy is not measured");
  return sampler;
}
