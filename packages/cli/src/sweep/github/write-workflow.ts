import { existsSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { type SweepPlan, safeName } from "@infermark/core";
import { parse as parseYaml } from "yaml";
import { DCGM_URL_ENV } from "../dcgm-url.js";
import { headerVariables } from "../spec-headers.js";
import { apiKeyEnvsOf } from "../sweep-api-key.js";
import { SweepError } from "../sweep-error.js";
import { sweepFolder } from "../sweep-folder.js";

/** The workflow template shipped with the CLI (`packages/cli/templates/github-sweep.yml`). */
export const GITHUB_TEMPLATE_PATH = fileURLToPath(
  new URL("../../../templates/github-sweep.yml", import.meta.url),
);

/**
 * The Node.js versions the CLI runs on (its package's `engines.node`), which the workflow's jobs ask `setup-node` for:
 * a self-hosted runner's cached Node that is older is not taken.
 */
export const NODE_VERSION_RANGE: string = JSON.parse(
  readFileSync(new URL("../../../package.json", import.meta.url), "utf8"),
).engines.node;

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

/** The default place of the workflow, in the repository's root folder. */
export const DEFAULT_WORKFLOW_PATH = ".github/workflows/infermark-sweep.yml";

/**
 * What a spec path may hold to go into the workflow as written: inside single quotes in its shell lines, in YAML plain
 * scalars (where " #" starts a comment and ": " a mapping) and outside `${{ }}`.
 */
const SPEC_PATH_CHARS = /^[\p{L}\p{N} ._\-/@+=,~]+$/u;

/**
 * The variable the measuring step sets to the endpoint's API key, from the repository secret of the same name: the
 * spec's `bench.apiKeyEnv`, else INFERMARK_API_KEY. Refused where it cannot be a secret's name (GitHub refuses
 * `GITHUB_*`) or is the servers' HF_TOKEN, which the step sets already.
 */
export function workflowApiKeyEnv(plan: SweepPlan): string {
  const name = apiKeyEnvsOf(plan.spec)[0]!;
  if (/^GITHUB_/i.test(name))
    throw new SweepError(
      `bench.apiKeyEnv: the workflow passes the key from the repository secret of the same name, and GitHub refuses secret names that start with GITHUB_ (${name}): name another variable`,
    );
  if (name === "HF_TOKEN")
    throw new SweepError(
      "bench.apiKeyEnv: HF_TOKEN is the workflow's Hugging Face token for the servers: name another variable for the API key",
    );
  return name;
}

/**
 * The variables the measuring step sets, each from the repository secret of the same name: the API key's
 * (`workflowApiKeyEnv`), those the spec's `bench.headers` name (`${NAME}`), each once, and, where the spec reads a
 * DCGM exporter (`power: dcgm`, or a `dcgmUrl`), INFERMARK_DCGM_URL, the exporter's URL with its credentials. HF_TOKEN
 * the step sets already; a name GitHub refuses for a secret (`GITHUB_*`) is refused.
 * @example workflowSecretEnvs(plan) // ["INFERMARK_API_KEY", "GATEWAY_TOKEN"]
 */
export function workflowSecretEnvs(plan: SweepPlan): string[] {
  const headers = headerVariables(plan.spec);
  const refused = headers.find((name) => /^GITHUB_/i.test(name));
  if (refused)
    throw new SweepError(
      `bench.headers: the workflow passes ${refused} from the repository secret of the same name, and GitHub refuses secret names that start with GITHUB_: name another variable`,
    );
  const dcgm = plan.spec.power === "dcgm" || plan.spec.dcgmUrl !== undefined ? [DCGM_URL_ENV] : [];
  return [...new Set([workflowApiKeyEnv(plan), ...headers, ...dcgm])].filter(
    (name) => name !== "HF_TOKEN",
  );
}

/** The template's line that sets the API key's variable in the measuring step, which the secrets' lines replace. */
const API_KEY_ENV_LINE = /^( *)__API_KEY_ENV__: \$\{\{ secrets\.__API_KEY_ENV__ \}\}\n/m;

/**
 * Renders the GitHub Actions workflow of a sweep from the template: a plan job that prints the matrix
 * (`infermark plan --github-matrix`), one job per matrix entry on the entry's runner labels that runs
 * `infermark sweep --executor local --server <key>` and uploads the PointResults, and a report job that ingests
 * them all and builds the HTML report. Secrets reach the measuring step alone (HF_TOKEN, the API key as
 * `workflowApiKeyEnv` names it, the variables the spec's headers name and the DCGM exporter's URL: `workflowSecretEnvs`). `schedule` is the
 * crons of its `on.schedule` (none by default).
 * @example renderGithubWorkflow(template, plan, "sweeps/nightly.yaml", ["0 2 * * *"])
 */
export function renderGithubWorkflow(
  template: string,
  plan: SweepPlan,
  specPath: string,
  schedule: readonly string[] = [],
): string {
  if (!SPEC_PATH_CHARS.test(specPath)) {
    const bad = [...specPath].find((c) => !SPEC_PATH_CHARS.test(c));
    throw new SweepError(
      `the spec path ${specPath} holds ${JSON.stringify(bad)}, which the workflow's YAML and shell lines cannot carry as written: rename it with letters, digits, spaces and . _ - / @ + = , ~ only`,
    );
  }
  const timeout = plan.spec.executor?.github?.timeoutMinutes ?? 360;
  const secretEnvs = workflowSecretEnvs(plan);
  if (!API_KEY_ENV_LINE.test(template))
    throw new SweepError(
      "the workflow template has no __API_KEY_ENV__ line in its measuring step's env, where the secrets go",
    );
  const scheduleLines = schedule.length
    ? `  schedule:\n${schedule.map((cron) => `    - cron: ${JSON.stringify(cron)}\n`).join("")}`
    : "";
  const text = template
    .replace("  __SCHEDULE__: []\n", scheduleLines)
    .replace(API_KEY_ENV_LINE, (_, indent: string) =>
      secretEnvs.map((name) => `${indent}${name}: \${{ secrets.${name} }}\n`).join(""),
    )
    .replaceAll("__SPEC__", specPath)
    // a JSON string is a YAML double-quoted scalar: any name, exactly
    .replaceAll("__NAME__", JSON.stringify(`infermark sweep: ${plan.name}`))
    .replaceAll("__SAFE_NAME__", safeName(plan.name))
    .replaceAll("__NODE__", NODE_VERSION_RANGE)
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
 * The root folder of the repository that holds `cwd`: the nearest folder at or above it with a `.git`, else `cwd`.
 * @example repositoryRoot("/repo/sweeps") // "/repo"
 */
export function repositoryRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

/**
 * The spec's path as the workflow's jobs see it: relative to the root of the repository they check out
 * (`repositoryRoot(cwd)`), in POSIX form. A spec outside that repository does not exist on a runner, so it is
 * refused rather than written into the workflow as typed (`/tmp/x.yaml`).
 * @example specPathInRepository("/repo/sweeps/a.yaml", "/repo") // "sweeps/a.yaml"
 */
export function specPathInRepository(specPath: string, cwd: string): string {
  const root = repositoryRoot(cwd);
  const inRepo = relative(root, resolve(cwd, specPath));
  if (inRepo === "" || inRepo.startsWith("..") || isAbsolute(inRepo))
    throw new SweepError(
      `the spec ${specPath} is outside the repository the workflow runs in (${root}): the runners check out that repository, so put the spec in it`,
    );
  return inRepo.split(sep).join("/");
}

/**
 * The crons of the `on.schedule` of the workflow at `path`, which writing it again keeps (infermark writes none
 * itself: a nightly sweep is the operator's choice); none when there is no file there. One that cannot be kept as it
 * is (not a list of `{cron}`) is refused rather than dropped, as a lost schedule stops a nightly sweep unseen.
 */
export async function keptSchedule(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new SweepError(`${path}: cannot read it: ${(error as Error).message}`, { cause: error });
  }
  const cannotKeep = (why: string) =>
    new SweepError(
      `${path}: ${why}, so writing the workflow again would lose it: fix it (docs: "on.schedule" in GitHub's workflow syntax) or remove it, then run this again`,
    );
  let workflow: unknown;
  try {
    workflow = parseYaml(text);
  } catch {
    if (/^\s*schedule\s*:/m.test(text)) throw cannotKeep("it is not valid YAML and has a schedule");
    return [];
  }
  const on = (workflow as { on?: unknown } | null)?.on;
  if (typeof on !== "object" || on === null || !("schedule" in on)) return [];
  const schedule = (on as { schedule: unknown }).schedule;
  const crons = Array.isArray(schedule)
    ? schedule.map((entry) => (entry as { cron?: unknown } | null)?.cron)
    : [];
  if (crons.length === 0 || crons.some((cron) => typeof cron !== "string"))
    throw cannotKeep('its on.schedule is not a list of {cron: "..."} entries');
  return crons as string[];
}

/**
 * Writes the workflow, keeping the schedule of the one it replaces; returns its path. `workflowPath` is taken from
 * `cwd`; without it, the spec's `executor.github.workflow` (default DEFAULT_WORKFLOW_PATH) is a path in the
 * repository, from its root, where GitHub looks for workflows.
 */
export async function writeGithubWorkflow(o: {
  plan: SweepPlan;
  specPath: string;
  cwd: string;
  workflowPath?: string;
  templatePath?: string;
}): Promise<string> {
  checkMatrixSize(o.plan);
  const specPath = specPathInRepository(o.specPath, o.cwd);
  const template = await readFile(o.templatePath ?? GITHUB_TEMPLATE_PATH, "utf8");
  const path = o.workflowPath
    ? resolve(o.cwd, o.workflowPath)
    : resolve(
        repositoryRoot(o.cwd),
        o.plan.spec.executor?.github?.workflow ?? DEFAULT_WORKFLOW_PATH,
      );
  // first: a workflow under a file, or under /proc, is refused in one line rather than read as one that is not there
  await sweepFolder(dirname(path), `the workflow's folder ${dirname(path)}`);
  const text = renderGithubWorkflow(template, o.plan, specPath, await keptSchedule(path));
  await writeFile(path, text);
  return path;
}
