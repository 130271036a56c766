import { rename } from "node:fs/promises";
import type { PlannedServer } from "@infermark/core";
import { existingResults } from "../results-dir.js";

/** A result a requeued job's interrupted run wrote, renamed `<path>.requeued`: its point's fingerprint, its path. */
export interface SetAsideResult {
  fingerprint: string;
  path: string;
}

/**
 * A requeued job's interrupted run is over: the results it wrote for its configuration (those not measured before this
 * sweep, `before`) are renamed `<file>.requeued`, which no sweep, `plan --status` or `ingest` reads, so that the job's
 * next run measures those points again and only the run that completes is stored. Returns the results set aside.
 * @example const aside = await setAsideResults("/shared/out", server, before) // [{ fingerprint: "ab12...", path: "/shared/out/x/x-c1.json" }]
 */
export async function setAsideResults(
  outputDir: string,
  server: PlannedServer,
  before: ReadonlyMap<string, string>,
): Promise<SetAsideResult[]> {
  const now = await existingResults(outputDir);
  const aside: SetAsideResult[] = [];
  for (const p of server.points) {
    const path = now.get(p.fingerprint);
    if (!path || before.has(p.fingerprint)) continue;
    const moved = await rename(path, `${path}.requeued`).then(
      () => true,
      () => false,
    );
    if (moved) aside.push({ fingerprint: p.fingerprint, path });
  }
  return aside;
}

/**
 * A job whose results were set aside (`setAsideResults`) has ended: each one is renamed back where no result of its
 * point exists now. A point its last run measured again keeps that run's result; a point only the interrupted run
 * measured (the job was held and cancelled, or its last run ended early) keeps the interrupted run's.
 * @example await restoreResults("/shared/out", aside)
 */
export async function restoreResults(
  outputDir: string,
  aside: readonly SetAsideResult[],
): Promise<void> {
  if (aside.length === 0) return;
  const now = await existingResults(outputDir);
  for (const { fingerprint, path } of aside)
    if (!now.has(fingerprint)) await rename(`${path}.requeued`, path).catch(() => undefined);
}
