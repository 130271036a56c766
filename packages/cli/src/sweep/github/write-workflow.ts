import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type SweepPlan, safeName } from "@infermark/core";
import { parse as parseYaml } from "yaml";
import { SweepError } from "../sweep-error.js";

/** The workflow template shipped with the CLI (`packages/cli/templates/github-sweep.yml`). */
export const GITHUB_TEMPLATE_PATH = fileURLToPath(
  new URL("../../../templates/github-sweep.yml", import.meta.url),
);

/** The default place of the workflow in a repository. */
export const DEFAULT_WORKFLOW_PATH = ".github/workflows/infermark-sweep.yml";

/**
 * Renders the GitHub Actions workflow of a sweep from the template: a plan job that prints the matrix
 * (`infermark plan --github-matrix`), one job per matrix entry on the entry's runner labels that runs
 * `infermark sweep --executor local --server <key>` and uploads the PointResults, and a report job that ingests
 * them all and builds the HTML report.
 */
export function renderGithubWorkflow(template: string, plan: SweepPlan, specPath: string): string {
  if (specPath.includes("'"))
    throw new SweepError(`the spec path ${specPath} may not contain a single quote`);
  const timeout = plan.spec.executor?.github?.timeoutMinutes ?? 360;
  const text = template
    .replaceAll("__SPEC__", specPath)
    .replaceAll("__NAME__", plan.name.replaceAll('"', "'"))
    .replaceAll("__SAFE_NAME__", safeName(plan.name))
    .replaceAll("__TIMEOUT__", String(timeout));
  try {
    parseYaml(text);
  } catch (error) {
    throw new SweepError(
      `the workflow template does not render to valid YAML: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return text;
}

/** Writes the workflow; returns its path. */
export async function writeGithubWorkflow(o: {
  plan: SweepPlan;
  specPath: string;
  cwd: string;
  workflowPath?: string;
  templatePath?: string;
}): Promise<string> {
  const template = await readFile(o.templatePath ?? GITHUB_TEMPLATE_PATH, "utf8");
  const path = resolve(
    o.cwd,
    o.workflowPath ?? o.plan.spec.executor?.github?.workflow ?? DEFAULT_WORKFLOW_PATH,
  );
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderGithubWorkflow(template, o.plan, o.specPath));
  return path;
}
