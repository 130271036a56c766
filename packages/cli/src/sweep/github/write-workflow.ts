import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { type SweepPlan, safeName } from "@infermark/core";
import { parse as parseYaml } from "yaml";
import { SweepError } from "../sweep-error.js";

/** The workflow template shipped with the CLI (`packages/cli/templates/github-sweep.yml`). */
export const GITHUB_TEMPLATE_PATH = fileURLToPath(
  new URL("../../../templates/github-sweep.yml", import.meta.url),
);

/** The most jobs one matrix may generate in a workflow run (GitHub Actions' limit). */
export const GITHUB_MATRIX_MAX_JOBS = 256;

/**
 * Refuses a plan whose matrix GitHub would refuse: one job per server configuration, at most
 * GITHUB_MATRIX_MAX_JOBS; the workflow's run would otherwise fail at its matrix, after its plan job.
 */
export function checkMatrixSize(plan: SweepPlan): void {
  const n = plan.servers.length;
  if (n > GITHUB_MATRIX_MAX_JOBS)
    throw new SweepError(
      `the plan has ${n} server configurations, one GitHub Actions job each, and a matrix may generate at most ${GITHUB_MATRIX_MAX_JOBS} jobs in a workflow run: split the spec (by scenarios, GPUs or search space) into specs of ${GITHUB_MATRIX_MAX_JOBS} configurations or fewer`,
    );
}

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

/**
 * The spec's path as the workflow's jobs see it: relative to the root of the repository they check out (the nearest
 * folder above `cwd` with a `.git`, else `cwd`), in POSIX form. A spec outside that repository does not exist on a
 * runner, so it is refused rather than written into the workflow as typed (`/tmp/x.yaml`).
 * @example specPathInRepository("/repo/sweeps/a.yaml", "/repo") // "sweeps/a.yaml"
 */
export function specPathInRepository(specPath: string, cwd: string): string {
  let root = resolve(cwd);
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, ".git"))) {
      root = dir;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  const inRepo = relative(root, resolve(cwd, specPath));
  if (inRepo === "" || inRepo.startsWith("..") || isAbsolute(inRepo))
    throw new SweepError(
      `the spec ${specPath} is outside the repository the workflow runs in (${root}): the runners check out that repository, so put the spec in it`,
    );
  return inRepo.split(sep).join("/");
}

/** Writes the workflow; returns its path. */
export async function writeGithubWorkflow(o: {
  plan: SweepPlan;
  specPath: string;
  cwd: string;
  workflowPath?: string;
  templatePath?: string;
}): Promise<string> {
  checkMatrixSize(o.plan);
  const template = await readFile(o.templatePath ?? GITHUB_TEMPLATE_PATH, "utf8");
  const path = resolve(
    o.cwd,
    o.workflowPath ?? o.plan.spec.executor?.github?.workflow ?? DEFAULT_WORKFLOW_PATH,
  );
  await mkdir(dirname(path), { recursive: true });
  await writeFile(
    path,
    renderGithubWorkflow(template, o.plan, specPathInRepository(o.specPath, o.cwd)),
  );
  return path;
}
