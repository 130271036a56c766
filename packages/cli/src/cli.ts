import { InfermarkError } from "@infermark/core";
import { Command, CommanderError, type OutputConfiguration } from "commander";
import { registerAggregate } from "./cli/aggregate.js";
import { registerAnalysis } from "./cli/analysis.js";
import { registerBench } from "./cli/bench.js";
import { registerCatalog } from "./cli/catalog.js";
import { registerSim } from "./cli/sim.js";
import { registerStore } from "./cli/store.js";
import { strictOptions } from "./cli/strict-options.js";
import { registerSweep } from "./cli/sweep.js";
import { registerUi } from "./cli/ui.js";
import { registerValidate } from "./cli/validate.js";
import { withoutPasswords } from "./commands/without-passwords.js";
import { UsageError } from "./errors.js";
import { redactCommand } from "./sweep/redact-command.js";
import { TOOL_VERSION } from "./version.js";

/**
 * Builds the `infermark` command tree. Each group lives in `src/cli/<group>.ts`.
 * `output` redirects commander's own output (help, usage errors), e.g. for tests.
 */
export function buildProgram(output?: OutputConfiguration): Command {
  const program = new Command("infermark")
    .description(
      "Open, reproducible benchmarks of LLM inference serving: measure, store, compare, predict.",
    )
    .version(TOOL_VERSION)
    // a usage error is one line (the flag, what it expects, what it got), the hint on that line
    .configureOutput({
      outputError: (message, write) =>
        write(
          `${withoutOptionValue(message)
            .trim()
            .replace(/\s*\n\s*/g, " ")} (run with --help for usage)\n`,
        ),
    })
    .exitOverride();
  if (output) program.configureOutput(output);
  registerValidate(program);
  registerBench(program);
  registerAggregate(program);
  registerCatalog(program);
  registerSim(program);
  registerStore(program);
  registerSweep(program);
  registerUi(program);
  registerAnalysis(program);
  strictOptions(program);
  return program;
}

/**
 * Commander's `unknown option '--api-key=sk-...'` without what follows the `=`: an option infermark does not take may
 * still carry a credential (`--api-key=`, `--hf-token=`).
 */
function withoutOptionValue(message: string): string {
  return message.replace(
    /^(error: unknown option '[^'=\s]+)=[\s\S]*'(\s*\(Did you mean [^)]*\))?\s*$/,
    "$1' (its value is not shown)$2",
  );
}

let quietOnClosedPipe = false;

/** Runs the CLI; prints one line per error and sets the exit code (2 usage, 1 failure). */
export async function main(argv: readonly string[]): Promise<void> {
  if (!quietOnClosedPipe) {
    // a reader that stops early (`infermark export | head`) closes the pipe: stop quietly, as Unix tools do
    quietOnClosedPipe = true;
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(0);
      throw error;
    });
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its message (help, version or a usage error)
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    // values of secret flags and assignments a message may quote (a spec's server command, a line of its YAML), and
    // the password of a URL given where a file was expected
    console.error(`infermark: ${redactCommand(withoutPasswords(message.split("\n")[0]!))}`);
    process.exitCode = error instanceof UsageError ? 2 : error instanceof InfermarkError ? 1 : 1;
    if (process.env.INFERMARK_DEBUG && error instanceof Error) console.error(error.stack);
  }
}
