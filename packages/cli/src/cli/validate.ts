import type { Command } from "commander";
import { DOCUMENT_KINDS, type DocumentKind, validateFiles } from "../commands/validate.js";
import { UsageError } from "../errors.js";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description(
      "check PointResult, SweepSpec, RequestRecord and catalog override files (JSON, JSONL or YAML)",
    )
    .argument("<files...>", "files, or folders (their JSON, JSONL and YAML files, recursively)")
    .option(
      "--schema <name>",
      `what to check the documents as (${DOCUMENT_KINDS.join(", ")}); detected when absent`,
    )
    .option("--json", "print the results as JSON")
    .action(async (files: string[], opts: { schema?: string; json?: boolean }) => {
      if (opts.schema && !DOCUMENT_KINDS.includes(opts.schema as DocumentKind)) {
        throw new UsageError(
          `--schema: unknown contract "${opts.schema}"; known: ${DOCUMENT_KINDS.join(", ")}`,
        );
      }
      const results = await validateFiles(files, {
        schema: opts.schema as DocumentKind | undefined,
      });
      const bad = results.filter((r) => r.issues.length > 0);
      if (opts.json) {
        console.log(JSON.stringify(results, null, 2));
      } else {
        for (const r of results) {
          // what the document was taken for, on every line of it: a wrong guess explains its errors
          const where = `${r.where ? `${r.path}: ${r.where}` : r.path}${r.contract ? ` (${r.contract})` : ""}`;
          if (r.issues.length === 0) {
            console.log(`ok    ${where}`);
            for (const warning of r.warnings ?? []) console.log(`warn  ${where}: ${warning}`);
          } else
            for (const issue of r.issues)
              console.log(
                `error ${where}: ${r.contract ? `${issue.path || "(root)"}: ` : ""}${issue.message}`,
              );
        }
        const warned = results.filter((r) => r.warnings?.length).length;
        console.log(
          `${results.length - bad.length} valid, ${bad.length} invalid${warned > 0 ? `, ${warned} with warnings` : ""}`,
        );
      }
      if (bad.length > 0) process.exitCode = 1;
    });
}
