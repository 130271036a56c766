import { execFile } from "node:child_process";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { shellJoin } from "../src/sweep/self-command.js";
import { CLI_COMMAND } from "./helpers.js";

/** A step of a GitHub Actions job, as the workflow syntax has it. */
export interface WorkflowStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  run?: string;
  "continue-on-error"?: boolean;
}

/** The parts of a parsed workflow the steps' runner reads. */
export interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps: WorkflowStep[] }>;
}

/**
 * Replaces each `${{ expression }}` of `text` with its value in `values` (keyed by the expression as written). An
 * expression without a value fails, so a step that grows a new one is not run with it left in.
 * @example substitute("--server '${{ matrix.server }}'", { "matrix.server": "abc" }) // "--server 'abc'"
 */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    const value = values[expression];
    if (value === undefined)
      throw new Error(`no value given for the expression \${{ ${expression} }}`);
    return value;
  });
}

/** The step of a job whose name (or, without one, `run` or `uses`) starts with `start`. */
export function findStep(workflow: Workflow, job: string, start: string): WorkflowStep {
  const step = workflow.jobs[job]!.steps.find((s) =>
    (s.name ?? s.run ?? s.uses ?? "").startsWith(start),
  );
  if (!step) throw new Error(`job ${job} has no step starting with "${start}"`);
  return step;
}

/**
 * Runs a workflow step's `run` script as a runner does: `bash -e`, in `folder`, with the workflow's, the job's and
 * the step's `env` (their expressions and the script's substituted from `values`) and `extraEnv` (the runner's own
 * variables, GITHUB_OUTPUT). `npx` runs the CLI from source, and only as `npx --no infermark ...`: a plain
 * `npx infermark` in CI installs and runs whatever the registry holds under that name when the repository lacks it.
 */
export async function runWorkflowStep(
  workflow: Workflow,
  job: string,
  step: WorkflowStep,
  folder: string,
  values: Record<string, string> = {},
  extraEnv: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  if (step.run === undefined) throw new Error(`step ${step.name ?? step.uses} has no run script`);
  const bin = join(folder, ".bin");
  await mkdir(bin, { recursive: true });
  const npx = join(bin, "npx");
  await writeFile(
    npx,
    `#!/usr/bin/env bash
if [ "$1" != --no ] || [ "$2" != infermark ]; then echo "npx: want npx --no infermark ..., got npx $*" >&2; exit 127; fi
shift 2
exec ${shellJoin(CLI_COMMAND)} "$@"
`,
  );
  await chmod(npx, 0o755);
  const env: Record<string, string> = {};
  for (const scope of [workflow.env, workflow.jobs[job]!.env, step.env])
    for (const [k, v] of Object.entries(scope ?? {})) env[k] = substitute(String(v), values);
  return promisify(execFile)("bash", ["-e", "-c", substitute(step.run, values)], {
    cwd: folder,
    env: {
      ...process.env,
      ...env,
      ...extraEnv,
      NO_COLOR: "1",
      PATH: `${bin}${delimiter}${process.env.PATH}`,
    },
  });
}
