import type { PlannedServer } from "@infermark/core";
import { writeFailure } from "../results-dir.js";
import { INTERRUPTED_REASON, type PointOutcome, type SweepEvent } from "../types.js";
import { type SbatchRefused, SbatchTimedOut } from "./slurm-client.js";

/** One point's outcome: its names, and how it ended. */
export function outcomeOf(
  server: PlannedServer,
  point: PlannedServer["points"][number],
  end: Omit<PointOutcome, "name" | "fingerprint" | "server">,
): PointOutcome {
  return { name: point.name, fingerprint: point.fingerprint, server: server.name, ...end };
}

/**
 * The outcomes of a server configuration not submitted because the sweep was stopped: its points measured before
 * (`before`) are skipped; its other points are left, with no failure record (the next run measures them, and
 * `plan --status` calls them to measure), as the local executor leaves them.
 */
export function interruptedPoints(
  server: PlannedServer,
  before: ReadonlyMap<string, string>,
  emit: (event: SweepEvent) => void,
): PointOutcome[] {
  return server.points.map((p) => {
    const measured = before.get(p.fingerprint);
    if (measured) return outcomeOf(server, p, { status: "skipped", path: measured });
    emit({ kind: "point-failed", point: p.name, reason: INTERRUPTED_REASON });
    return outcomeOf(server, p, { status: "failed", reason: INTERRUPTED_REASON });
  });
}

/**
 * Why a configuration's job is not followed when `sbatch` failed (`error`): Slurm refused it; or sbatch did not answer
 * in time and squeue showed no job of its batch script (`script`); or squeue could not say, and the job may be queued.
 */
export function refusalReason(server: string, script: string, error: SbatchRefused): string {
  if (!(error instanceof SbatchTimedOut))
    return `sbatch refused the job of ${server}: ${error.said}`;
  if (error.unchecked === undefined) return `${error.said}: the job of ${server} was not queued`;
  return `${error.said}: the job of ${server} may have been queued; squeue could not say (${error.unchecked}): look for a job that runs ${script} (named infermark-${server} unless a directive renames it) and cancel it before this folder is swept again`;
}

/**
 * The outcomes of a server configuration whose job was not queued, or may not have been (`refusalReason`): its points
 * measured before are skipped, its other points fail with that reason (and a failure record).
 */
export async function refusedPoints(
  outputDir: string,
  server: PlannedServer,
  before: ReadonlyMap<string, string>,
  reason: string,
  emit: (event: SweepEvent) => void,
): Promise<PointOutcome[]> {
  const outcomes: PointOutcome[] = [];
  for (const p of server.points) {
    const measured = before.get(p.fingerprint);
    if (measured) {
      outcomes.push(outcomeOf(server, p, { status: "skipped", path: measured }));
      continue;
    }
    const path = await writeFailure(outputDir, p, reason);
    outcomes.push(outcomeOf(server, p, { status: "failed", reason, path }));
    emit({ kind: "point-failed", point: p.name, reason });
  }
  return outcomes;
}
