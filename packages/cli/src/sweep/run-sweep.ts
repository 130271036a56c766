import { isAbsolute, resolve } from "node:path";
import type { PlannedServer, SweepPlan } from "@infermark/core";
import { planSpecFile } from "../commands/plan.js";
import { countOutcomes } from "./count-outcomes.js";
import { checkJobDcgmUrl, sweepDcgmUrl } from "./dcgm-url.js";
import { writeGithubWorkflow } from "./github/write-workflow.js";
import { checkStore, ingestOutcomes } from "./ingest-results.js";
import { defaultOutputDir, invalidWhy, readMeasuredResult } from "./results-dir.js";
import { runLocal } from "./run-local.js";
import { defaultSelfCommand } from "./self-command.js";
import { runSlurm } from "./slurm/run-slurm.js";
import { readSpecHeaders } from "./spec-headers.js";
import { readSweepApiKey } from "./sweep-api-key.js";
import { SweepError } from "./sweep-error.js";
import { outputFolder } from "./sweep-folder.js";
import type { PointOutcome, SweepOptions, SweepResult } from "./types.js";

/** Picks the server configurations named by key or name; all when none is named. */
export function selectServers(
  plan: SweepPlan,
  wanted: readonly string[] | undefined,
): PlannedServer[] {
  if (!wanted || wanted.length === 0) return plan.servers;
  const unknown = wanted.filter((w) => !plan.servers.some((s) => s.key === w || s.name === w));
  if (unknown.length > 0) {
    throw new SweepError(
      `--server: no server configuration ${unknown.map((u) => `"${u}"`).join(", ")} in the plan; known: ${plan.servers.map((s) => s.name).join(", ")}`,
    );
  }
  return plan.servers.filter((s) => wanted.includes(s.key) || wanted.includes(s.name));
}

/**
 * Runs a sweep spec: validates and plans it (a bad spec fails here, before anything starts; the plan's warnings
 * come first, as `warning` events), then runs its points with the chosen executor, writes every PointResult (and
 * failure record) under the output folder, and ingests the results into the store. Returns one outcome per point
 * and their counts; `ok` is false when any point failed, was not measured (stopped), or was measured invalid by this
 * run.
 * @example const r = await runSweep("examples/quickstart.yaml", { outputDir: "results/qs" }); r.ok
 */
export async function runSweep(specPath: string, options: SweepOptions = {}): Promise<SweepResult> {
  const cwd = options.cwd ?? process.cwd();
  const emit = options.onEvent ?? (() => {});
  const specFile = isAbsolute(specPath) ? specPath : resolve(cwd, specPath);
  const { plan, warnings } = await planSpecFile(specFile, cwd);
  for (const message of warnings) emit({ kind: "warning", message });
  const spec = plan.spec;
  const servers = selectServers(plan, options.servers);
  const executor = options.executor ?? "local";
  const outputDir = resolve(cwd, options.outputDir ?? defaultOutputDir(spec.name));
  const selfCommand = options.selfCommand ?? defaultSelfCommand();

  if (executor === "github") {
    const path = await writeGithubWorkflow({
      plan,
      specPath: options.specPathInRepo ?? specPath,
      cwd,
      ...(options.workflowPath ? { workflowPath: options.workflowPath } : {}),
    });
    emit({ kind: "workflow-written", path });
    return {
      executor,
      outputDir,
      points: [],
      counts: countOutcomes([]),
      ok: true,
      workflowPath: path,
    };
  }

  // where the points are measured, before anything starts: a Slurm job reads it on its node (its setup lines may
  // export it), a GitHub job from the step's env
  const apiKey = executor === "local" ? readSweepApiKey(spec) : undefined;
  const headers = executor === "local" ? readSpecHeaders(spec) : {};
  const dcgmUrl = executor === "local" ? sweepDcgmUrl(options.dcgmUrl, spec) : options.dcgmUrl;
  if (executor === "slurm") checkJobDcgmUrl(options.dcgmUrl);
  if (options.ingest !== false) await checkStore(options.db);
  // before anything starts: a folder that cannot be made fails here in one line, not with every point's record
  const takeBackFolder = await outputFolder(
    outputDir,
    options.outputDir ? `--output-dir ${options.outputDir}` : `output folder ${outputDir}`,
  );
  try {
    let points: PointOutcome[];
    let jobs: Record<string, string> | undefined;
    if (executor === "slurm") {
      const r = await runSlurm({
        plan,
        servers,
        specPath: specFile,
        outputDir,
        power: options.power ?? spec.power,
        ...(options.dcgmUrl ? { dcgmUrl: options.dcgmUrl } : {}),
        force: options.force ?? false,
        retryInvalid: options.retryInvalid ?? false,
        selfCommand,
        cwd,
        flags: options.slurm ?? {},
        ...(options.signal ? { signal: options.signal } : {}),
        onEvent: emit,
      });
      // the jobs wrote the results: their validity is read from the files
      points = await withValidity(r.points);
      jobs = r.jobs;
    } else if (executor === "local") {
      points = await runLocal({
        plan,
        servers,
        outputDir,
        power: options.power ?? spec.power,
        ...(dcgmUrl ? { dcgmUrl } : {}),
        force: options.force ?? false,
        retryInvalid: options.retryInvalid ?? false,
        saveRequests: options.saveRequests ?? spec.saveRequests ?? false,
        ...(apiKey ? { apiKey: apiKey.key } : {}),
        headers,
        selfCommand,
        cwd,
        ...(options.signal ? { signal: options.signal } : {}),
        onEvent: emit,
      });
    } else {
      throw new SweepError(
        `--executor: unknown executor "${String(executor)}"; known: local, slurm, github`,
      );
    }
    if (options.ingest !== false) {
      const r = await ingestOutcomes(points, options.db);
      emit({ kind: "ingested", ...r });
    }
    const counts = countOutcomes(points);
    return {
      executor,
      outputDir,
      points,
      counts,
      // a point kept from an earlier run was that run's to report
      ok: counts.failed + counts.stopped + counts.invalid === 0,
      ...(jobs ? { jobs } : {}),
    };
  } catch (error) {
    // refused before anything was written (a power source this machine lacks): the folder made for it goes too
    await takeBackFolder();
    throw error;
  }
}

/** Outcomes with a result file (done, skipped) given its validity where they lack it, one file at a time. */
async function withValidity(points: readonly PointOutcome[]): Promise<PointOutcome[]> {
  const out: PointOutcome[] = [];
  for (const p of points) {
    const unread =
      (p.status === "done" || p.status === "skipped") && p.path && p.valid === undefined;
    const measured = unread ? await readMeasuredResult(p.path!) : undefined;
    out.push(
      measured
        ? {
            ...p,
            valid: measured.valid,
            ...(measured.valid ? {} : { reason: invalidWhy(measured) }),
          }
        : p,
    );
  }
  return out;
}
