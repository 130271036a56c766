// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { planSweep } from "@infermark/core";
import { openStore } from "@infermark/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import {
  GITHUB_TEMPLATE_PATH,
  NODE_VERSION_RANGE,
  renderGithubWorkflow,
  writeGithubWorkflow,
} from "../src/sweep/github/write-workflow.js";
import { loadSweepSpec } from "../src/sweep/load-spec.js";
import { REPO_ROOT, runCli, tempDir } from "./helpers.js";
import { simSpec } from "./sim-spec.js";
import { findStep, runWorkflowStep, substitute, type Workflow } from "./workflow-steps.js";

/** Two simulated configurations (H200 and B200) of one point each, on runners labelled by GPU. */
const SPEC = simSpec({
  name: "nightly",
  hardware: ["h200", "b200"],
  executor: { github: { runsOn: ["self-hosted", "{{hardware}}"] } },
});

/** What the Actions workflow syntax allows where the written workflow has keys (docs.github.com, workflow syntax). */
const SYNTAX = {
  top: ["name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"],
  job: [
    ...["name", "permissions", "needs", "if", "runs-on", "environment", "concurrency", "outputs"],
    ...["env", "defaults", "steps", "timeout-minutes", "strategy", "continue-on-error"],
  ],
  step: [
    ...["id", "if", "name", "uses", "run", "working-directory", "shell", "with", "env"],
    ...["continue-on-error", "timeout-minutes"],
  ],
  strategy: ["matrix", "fail-fast", "max-parallel"],
  concurrency: ["group", "cancel-in-progress"],
  // the inputs of the actions' v4 (their action.yml)
  with: {
    "actions/checkout@v4": [
      ...["repository", "ref", "token", "ssh-key", "persist-credentials", "path", "clean"],
      ...["fetch-depth", "fetch-tags", "lfs", "submodules", "sparse-checkout"],
    ],
    "actions/setup-node@v4": [
      ...["node-version", "node-version-file", "architecture", "check-latest", "registry-url"],
      ...["scope", "token", "cache", "cache-dependency-path", "mirror", "mirror-token"],
    ],
    "actions/upload-artifact@v4": [
      ...["name", "path", "if-no-files-found", "retention-days", "compression-level"],
      ...["overwrite", "include-hidden-files"],
    ],
    "actions/download-artifact@v4": [
      ...["name", "path", "pattern", "merge-multiple", "github-token", "repository", "run-id"],
    ],
  } as Record<string, string[]>,
};

const keysOutside = (o: object | undefined, allowed: string[]) =>
  Object.keys(o ?? {}).filter((k) => !allowed.includes(k));

/** The workflow's keys that the Actions syntax (or the action's inputs) does not have: none, for a valid one. */
function unknownKeys(wf: Record<string, unknown> & Workflow): string[] {
  const bad = keysOutside(wf, SYNTAX.top);
  bad.push(
    ...keysOutside(wf.concurrency as object, SYNTAX.concurrency).map((k) => `concurrency.${k}`),
  );
  for (const [id, job] of Object.entries(wf.jobs) as [string, Record<string, unknown>][]) {
    bad.push(...keysOutside(job, SYNTAX.job).map((k) => `jobs.${id}.${k}`));
    bad.push(
      ...keysOutside(job.strategy as object, SYNTAX.strategy).map((k) => `${id}.strategy.${k}`),
    );
    for (const step of job.steps as Record<string, unknown>[]) {
      bad.push(...keysOutside(step, SYNTAX.step).map((k) => `${id} step ${k}`));
      if (step.uses === undefined) continue;
      const inputs = SYNTAX.with[step.uses as string];
      if (!inputs) bad.push(`${id} uses ${step.uses}`);
      else bad.push(...keysOutside(step.with as object, inputs).map((k) => `${step.uses} ${k}`));
    }
  }
  return bad;
}

describe("the GitHub Actions workflow of a sweep", () => {
  let repo: string;
  let cleanup: () => Promise<void>;
  let wf: Record<string, unknown> & Workflow;
  beforeAll(async () => {
    ({ dir: repo, cleanup } = await tempDir("infermark-github-"));
    await mkdir(join(repo, ".git"));
    await mkdir(join(repo, "sweeps"));
    await writeFile(join(repo, "sweeps/nightly.yaml"), stringify(SPEC));
  });
  afterAll(() => cleanup());

  it("is written at the root of the repository, from a folder inside it", async () => {
    // before, .github/workflows was taken from the working folder: sweeps/.github/workflows/, which GitHub never runs
    const r = await runCli(["sweep", "nightly.yaml", "--executor", "github"], {
      cwd: join(repo, "sweeps"),
    });
    const path = join(repo, ".github/workflows/infermark-sweep.yml");
    expect([r.code, r.stdout.trim(), r.stderr]).toEqual([0, `wrote ${path}`, ""]);
    wf = parseYaml(await readFile(path, "utf8"));
    expect(unknownKeys(wf)).toEqual([]);
    expect(wf.name).toBe("infermark sweep: nightly");
  });

  it("runs its plan, sweep and report steps with the CLI's flags: every point stored once, reruns add none", async () => {
    const HF_TOKEN = "hf_workflowTestSecret0123456789";
    const API_KEY = "sk-workflowTestKey0123456789";
    const SHARED = join(repo, "shared.db");
    const secrets = {
      "vars.INFERMARK_CATALOG": "",
      "secrets.HF_TOKEN": HF_TOKEN,
      "secrets.INFERMARK_API_KEY": API_KEY,
      "secrets.INFERMARK_DB_URL": SHARED,
      "secrets.INFERMARK_DB_URL != ''": "true",
    };
    // the plan job prints the matrix into $GITHUB_OUTPUT
    const output = join(repo, "github-output");
    await runWorkflowStep(wf, "plan", findStep(wf, "plan", "Plan"), repo, secrets, {
      GITHUB_OUTPUT: output,
    });
    const line = (await readFile(output, "utf8")).trim();
    expect(line.startsWith("matrix=")).toBe(true);
    const matrix = JSON.parse(line.slice("matrix=".length));
    expect(
      matrix.include.map((e: { name: string; runsOn: string[] }) => [e.name, e.runsOn]),
    ).toEqual([
      ["dsr1-h200-sim-fp8-tp8-256x64", ["self-hosted", "h200"]],
      ["dsr1-b200-sim-fp8-tp8-256x64", ["self-hosted", "b200"]],
    ]);

    // each matrix job, in a checkout of its own, measures its configuration and uploads results/ under its name
    const sweep = wf.jobs.sweep as unknown as Workflow["jobs"][string] & Record<string, unknown>;
    expect(sweep.strategy).toMatchObject({ "fail-fast": false });
    const upload = findStep(wf, "sweep", "Upload");
    expect(upload.if).toBe("always()");
    const artifacts = join(repo, "artifacts");
    const jobValues = (entry: { server: string; name: string }, force = false, attempt = 1) => ({
      ...secrets,
      "matrix.server": entry.server,
      "matrix.name": entry.name,
      "inputs.force && '--force' || ''": force ? "--force" : "",
      "github.run_attempt != '1' && '--retry-invalid' || ''": attempt > 1 ? "--retry-invalid" : "",
    });
    for (const [i, entry] of matrix.include.entries()) {
      const checkout = join(repo, `runner-${i}`);
      await cp(join(repo, "sweeps"), join(checkout, "sweeps"), { recursive: true });
      const measured = await runWorkflowStep(
        wf,
        "sweep",
        findStep(wf, "sweep", "Measure"),
        checkout,
        jobValues(entry),
      );
      expect(measured.stdout).toContain("1 measured, 0 already measured, 0 failed");
      const name = substitute(upload.with!.name as string, jobValues(entry));
      // upload-artifact v4 refuses a second artifact of one name in a run
      expect(await readdir(artifacts).catch(() => [])).not.toContain(name);
      await cp(join(checkout, upload.with!.path as string), join(artifacts, name), {
        recursive: true,
      });
    }
    // the token and the key reached the servers' environment, and no file the jobs upload
    const files = (await readdir(artifacts, { recursive: true, withFileTypes: true })).filter((f) =>
      f.isFile(),
    );
    expect(files.length).toBe(4);
    for (const f of files) {
      const text = await readFile(join(f.parentPath, f.name), "utf8");
      expect([f.name, text.includes(HF_TOKEN), text.includes(API_KEY)]).toEqual([
        f.name,
        false,
        false,
      ]);
    }

    // the report job downloads every configuration's artifact into one folder and stores it, twice (a rerun)
    const download = findStep(wf, "report", "Download");
    expect(download.with).toMatchObject({ "merge-multiple": true });
    const pattern = new RegExp(`^${(download.with!.pattern as string).replace("*", ".*")}$`);
    const report = join(repo, "report");
    for (const name of await readdir(artifacts))
      if (pattern.test(name))
        await cp(join(artifacts, name), join(report, download.with!.path as string), {
          recursive: true,
        });
    const said: string[] = [];
    for (const attempt of [1, 2]) {
      for (const start of ["Ingest", "Store", "Build"]) {
        const step = findStep(wf, "report", start);
        const r = await runWorkflowStep(wf, "report", step, report, secrets);
        const last = r.stdout
          .trim()
          .split("\n")
          .at(-1)!
          .replace(/, [\d.]+ [KM]iB$/, "");
        said.push(`${attempt} ${start}: ${last}`);
      }
      await rm(join(report, "infermark.db")); // a rerun's runner starts without it
    }
    expect(said).toEqual([
      "1 Ingest: 2 file(s): 2 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped",
      "1 Store: 2 file(s): 2 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped",
      "1 Build: wrote report.html: 2 points",
      "2 Ingest: 2 file(s): 2 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped",
      "2 Store: 2 file(s): 0 inserted, 2 unchanged, 0 rejected, 0 row(s) skipped",
      "2 Build: wrote report.html: 2 points",
    ]);
    const shared = await openStore(SHARED);
    try {
      expect((await shared.queryPoints()).length).toBe(2);
    } finally {
      await shared.close();
    }

    // "Re-run failed jobs": the configuration goes on from its earlier attempt's artifact, in a clean checkout
    const resume = findStep(wf, "sweep", "Resume");
    expect(resume.if).toBe("github.run_attempt != '1' && !inputs.force");
    expect(resume["continue-on-error"]).toBe(true);
    const entry = matrix.include[0];
    expect(substitute(resume.with!.name as string, jobValues(entry))).toBe(
      substitute(upload.with!.name as string, jobValues(entry)),
    );
    const rerun = join(repo, "runner-rerun");
    await cp(join(repo, "sweeps"), join(rerun, "sweeps"), { recursive: true });
    await cp(
      join(artifacts, substitute(upload.with!.name as string, jobValues(entry))),
      join(rerun, resume.with!.path as string),
      { recursive: true },
    );
    const again = await runWorkflowStep(
      wf,
      "sweep",
      findStep(wf, "sweep", "Measure"),
      rerun,
      jobValues(entry, false, 2),
    );
    expect(again.stdout).toContain("0 measured, 1 already measured, 0 failed");
    // the re-run uploads under the same name: v4 refuses that without overwrite
    expect(upload.with!.overwrite).toBe(true);
  }, 180_000);

  it("keeps secrets out of the steps that do not use them, and asks for no more than reading the repository", () => {
    expect(wf.permissions).toEqual({ contents: "read" });
    const holders: string[] = [];
    const scan = (where: string, o: unknown) => {
      if (JSON.stringify(o ?? {}).includes("secrets.")) holders.push(where);
    };
    scan("workflow env", wf.env);
    for (const [id, job] of Object.entries(wf.jobs)) {
      scan(`${id} env`, job.env);
      for (const step of job.steps) scan(`${id}: ${step.name ?? step.run ?? step.uses}`, step);
    }
    // npm ci runs the install scripts of every dependency: no secret in its environment
    expect(holders).toEqual([
      "sweep: Measure ${{ matrix.name }}",
      "report env",
      "report: Store the PointResults in the shared database",
    ]);
    // the measuring step alone: the Hugging Face token for the servers, the endpoint's API key for the load generator
    expect(findStep(wf, "sweep", "Measure").env).toEqual({
      HF_TOKEN: "${{ secrets.HF_TOKEN }}",
      INFERMARK_API_KEY: "${{ secrets.INFERMARK_API_KEY }}",
    });
    // the report job's env says only whether the database secret is set; its value is the store step's alone,
    // given as INFERMARK_DB rather than on the command line
    expect(wf.jobs.report!.env).toEqual({
      INFERMARK_SHARED_DB: "${{ secrets.INFERMARK_DB_URL != '' }}",
    });
    expect(findStep(wf, "report", "Store")).toEqual({
      name: "Store the PointResults in the shared database",
      if: "env.INFERMARK_SHARED_DB == 'true'",
      env: { INFERMARK_DB: "${{ secrets.INFERMARK_DB_URL }}" },
      run: "npx --no infermark ingest results",
    });
  });

  it("runs infermark only from the repository's own install, and Node from the CLI's engine range", async () => {
    const runs = Object.values(wf.jobs)
      .flatMap((job) => job.steps)
      .flatMap((s) => (s.run?.includes("infermark ") ? [s.run] : []));
    expect(runs.length).toBe(5);
    // in CI, npx installs a package it does not find locally without asking: --no refuses
    for (const run of runs) expect(run.match(/npx (?!--no infermark )/g)).toBeNull();
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, "packages/cli/package.json"), "utf8"));
    expect(NODE_VERSION_RANGE).toBe(pkg.engines.node);
    for (const job of Object.values(wf.jobs))
      expect(job.steps.find((s) => s.uses === "actions/setup-node@v4")?.with).toEqual({
        "node-version": pkg.engines.node,
        cache: "npm",
      });
  });

  it("stores the run's points unless the run was cancelled", () => {
    // always() also runs when the run is cancelled, and such a job cannot be cancelled
    expect(wf.jobs.report).toMatchObject({ needs: "sweep", if: "${{ !cancelled() }}" });
    expect(findStep(wf, "report", "actions/upload-artifact@v4").with).toMatchObject({
      name: "infermark-report",
      overwrite: true,
    });
  });

  it("keeps the schedule added to it when it is written again, and refuses one it cannot keep", async () => {
    const path = join(repo, ".github/workflows/infermark-sweep.yml");
    const text = await readFile(path, "utf8");
    const nightly = text.replace(
      "on:\n",
      'on:\n  schedule:\n    - cron: "17 2 * * *"\n    - cron: "0 14 * * 6"\n',
    );
    await writeFile(path, nightly);
    const r = await runCli(["sweep", "sweeps/nightly.yaml", "--executor", "github"], { cwd: repo });
    expect(r.code).toBe(0);
    const written = parseYaml(await readFile(path, "utf8"));
    expect(written.on.schedule).toEqual([{ cron: "17 2 * * *" }, { cron: "0 14 * * 6" }]);
    expect(Object.keys(written.on)).toEqual(["schedule", "workflow_dispatch"]);
    expect(unknownKeys(written)).toEqual([]);
    // and again: the same file
    const first = await readFile(path, "utf8");
    await runCli(["sweep", "sweeps/nightly.yaml", "--executor", "github"], { cwd: repo });
    expect(await readFile(path, "utf8")).toBe(first);

    await writeFile(path, text.replace("on:\n", "on:\n  schedule: nightly\n"));
    const bad = await runCli(["sweep", "sweeps/nightly.yaml", "--executor", "github"], {
      cwd: repo,
    });
    expect([bad.code, bad.stderr.trim()]).toEqual([
      1,
      `infermark: ${path}: its on.schedule is not a list of {cron: "..."} entries, so writing the workflow again would lose it: fix it (docs: "on.schedule" in GitHub's workflow syntax) or remove it, then run this again`,
    ]);
  });
});

describe("renderGithubWorkflow", () => {
  it("writes the quickstart's workflow as examples/github/infermark-sweep.yml has it", async () => {
    const plan = planSweep(await loadSweepSpec(join(REPO_ROOT, "examples/quickstart.yaml")));
    const template = await readFile(GITHUB_TEMPLATE_PATH, "utf8");
    expect(renderGithubWorkflow(template, plan, "examples/quickstart.yaml")).toBe(
      await readFile(join(REPO_ROOT, "examples/github/infermark-sweep.yml"), "utf8"),
    );
  });

  it("carries any spec name exactly, and refuses a spec path its YAML and shell lines would cut", async () => {
    const plan = planSweep(await loadSweepSpec(join(REPO_ROOT, "examples/quickstart.yaml")));
    const template = await readFile(GITHUB_TEMPLATE_PATH, "utf8");
    // before, " became ' and \b a backspace
    const name = 'dsr1 "fp8" \\b: #1';
    const wf = parseYaml(renderGithubWorkflow(template, { ...plan, name }, "a.yaml"));
    expect(wf.name).toBe(`infermark sweep: ${name}`);
    expect(wf.concurrency.group).toBe("infermark-sweep-dsr1-fp8-b-1");
    // before, the plan step's command stopped at " #": echo "matrix=$(npx infermark plan 'sweeps/a
    expect(() => renderGithubWorkflow(template, plan, "sweeps/a #1.yaml")).toThrow(
      'the spec path sweeps/a #1.yaml holds "#", which the workflow\'s YAML and shell lines cannot carry as written: rename it with letters, digits, spaces and . _ - / @ + = , ~ only',
    );
    expect(() => renderGithubWorkflow(template, plan, "it's.yaml")).toThrow(`holds "'"`);
    expect(() => renderGithubWorkflow(template, plan, "${{ github.token }}.yaml")).toThrow(
      'holds "$"',
    );
    expect(
      parseYaml(renderGithubWorkflow(template, plan, "my sweeps/a+b.yaml")).jobs.plan.steps,
    ).toContainEqual({
      id: "plan",
      name: "Plan the sweep",
      run: `echo "matrix=$(npx --no infermark plan 'my sweeps/a+b.yaml' --github-matrix)" >> "$GITHUB_OUTPUT"`,
    });
  });

  it("passes the key in the variable the spec names, from the repository secret of that name", async () => {
    const plan = planSweep(await loadSweepSpec(join(REPO_ROOT, "examples/quickstart.yaml")));
    const template = await readFile(GITHUB_TEMPLATE_PATH, "utf8");
    const named = (apiKeyEnv: string) => ({
      ...plan,
      spec: { ...plan.spec, bench: { ...plan.spec.bench, apiKeyEnv } },
    });
    const wf = parseYaml(renderGithubWorkflow(template, named("GATEWAY_AUTH"), "a.yaml"));
    expect(findStep(wf, "sweep", "Measure").env).toEqual({
      HF_TOKEN: "${{ secrets.HF_TOKEN }}",
      GATEWAY_AUTH: "${{ secrets.GATEWAY_AUTH }}",
    });
    // GitHub refuses a secret named GITHUB_*, and HF_TOKEN is the servers' token
    for (const name of ["GITHUB_PAT", "github_key"])
      expect(() => renderGithubWorkflow(template, named(name), "a.yaml")).toThrow(
        `bench.apiKeyEnv: the workflow passes the key from the repository secret of the same name, and GitHub refuses secret names that start with GITHUB_ (${name}): name another variable`,
      );
    expect(() => renderGithubWorkflow(template, named("HF_TOKEN"), "a.yaml")).toThrow(
      "bench.apiKeyEnv: HF_TOKEN is the workflow's Hugging Face token for the servers: name another variable for the API key",
    );
  });

  it("writes no schedule into a new workflow", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const plan = planSweep(await loadSweepSpec(join(REPO_ROOT, "examples/quickstart.yaml")));
      await mkdir(join(dir, ".git"));
      const path = await writeGithubWorkflow({ plan, specPath: "q.yaml", cwd: dir });
      expect(Object.keys(parseYaml(await readFile(path, "utf8")).on)).toEqual([
        "workflow_dispatch",
      ]);
    } finally {
      await cleanup();
    }
  });
});
