import { CONTRACTS, type ContractName } from "@infermark/core";
import type { Command } from "commander";
import { validateFiles } from "../commands/validate.js";
import { UsageError } from "../errors.js";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description(
      "check PointResult, SweepSpec or RequestRecord files (JSON, JSONL or YAML) against their schemas",
    )
    .argument("<files...>", "files, or folders (their JSON, JSONL and YAML files, recursively)")
    .option(
      "--schema <name>",
      `contract to check against (${Object.keys(CONTRACTS).join(", ")}); detected when absent`,
    )
    .option("--json", "print the results as JSON")
    .action(async (files: string[], opts: { schema?: string; json?: boolean }) => {
      if (opts.schema && !(opts.schema in CONTRACTS)) {
        throw new UsageError(
          `--schema: unknown contract "${opts.schema}"; known: ${Object.keys(CONTRACTS).join(", ")}`,
        );
      }
      const results = await validateFiles(files, {
        schema: opts.schema as ContractName | undefined,
      });
      const bad = results.filter((r) => r.issues.length > 0);
      if (opts.json) {
        console.log(JSON.stringify(results, null, 2));
      } else {
        for (const r of results) {
          const where = r.where ? `${r.path}: ${r.where}` : r.path;
          if (r.issues.length === 0) console.log(`ok    ${where} (${r.contract})`);
          else
            for (const issue of r.issues)
              console.log(
                `error ${where}: ${r.document < 0 ? "" : `${issue.path || "(root)"}: `}${issue.message}`,
              );
        }
        console.log(`${results.length - bad.length} valid, ${bad.length} invalid`);
      }
      if (bad.length > 0) process.exitCode = 1;
    });
}
