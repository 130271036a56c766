import { randomUUID } from "node:crypto";
import { readFile, rename, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createExclusive } from "../atomic-files.js";
import { markAlive, type ProcessMark, thisProcessMark } from "../process-identity.js";
import { serverDir } from "../results-dir.js";

/*
 * Two sweeps of one spec into one shared output folder, started at the same moment (two login nodes, a retried CI
 * step), would each find no recorded job (`slurm.job`) and each queue one for the same configuration. The sweep that
 * submits a configuration's job therefore first holds `<out>/<server>/slurm.submit`, created exclusively, from
 * before it looks for a recorded job until that job is recorded; another sweep waits for it and then follows the
 * job it recorded.
 */

/** Who holds a configuration's submission. */
export interface SubmitClaim extends ProcessMark {
  schema: "infermark.slurm-submit/v1";
  /** Tells two sweeps of one process apart. */
  nonce: string;
  /** When it was taken (ISO 8601). */
  since: string;
}

/**
 * A holder on another host is taken for gone once its claim is this old: a submission is one `sbatch` (given 60 s)
 * and a file write. On this host the holder's process is checked instead.
 */
export const SUBMIT_CLAIM_STALE_MS = 3 * 60_000;

/** `<out>/<server>/slurm.submit` */
export const submitClaimPath = (outputDir: string, server: string): string =>
  join(serverDir(outputDir, server), "slurm.submit");

/** Whether the sweep that wrote `claim` may still be submitting (it runs, or, on another host, is recent). */
export function claimHolderAlive(claim: SubmitClaim, nowMs = Date.now()): boolean {
  // another sweep of this process releases its claim when it is done, even when it fails
  if (claim.host === hostname() && claim.pid === process.pid) return true;
  return markAlive(claim) ?? nowMs - Date.parse(claim.since) < SUBMIT_CLAIM_STALE_MS;
}

async function readClaim(path: string): Promise<{ claim?: SubmitClaim; text: string } | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const c = JSON.parse(text) as Partial<SubmitClaim>;
    const valid =
      c.schema === "infermark.slurm-submit/v1" &&
      typeof c.host === "string" &&
      Number.isSafeInteger(c.pid) &&
      typeof c.nonce === "string" &&
      typeof c.since === "string";
    return valid ? { claim: c as SubmitClaim, text } : { text };
  } catch {
    // half-written by a file system without hard links, or not ours: replaced as stale
    return { text };
  }
}

/**
 * Moves a stale claim out of the way, unless it changed since it was read (another sweep took it over first: its
 * fresh claim is put back).
 */
async function removeStale(path: string, staleText: string): Promise<void> {
  const aside = `${path}.${process.pid}.${randomUUID()}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return; // gone already
  }
  const moved = await readFile(aside, "utf8").catch(() => staleText);
  if (moved !== staleText) await rename(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}

/** A claim taken: `release` removes it, once, only while it is still this claim. */
export interface HeldSubmission {
  release(): Promise<void>;
}

/**
 * Takes the submission of a server configuration's job in `outputDir`, waiting while another sweep holds it; a claim
 * whose holder is gone (killed during `sbatch`) is replaced. `onWait` is told once per holder waited for; undefined
 * when `signal` aborts the wait.
 * @example const held = await claimSubmission(out, server.name, { onWait }); try { ... } finally { await held.release() }
 */
export async function claimSubmission(
  outputDir: string,
  server: string,
  o: { onWait?: (holder: SubmitClaim) => void; signal?: AbortSignal; pollMs?: number } = {},
): Promise<HeldSubmission | undefined> {
  const path = submitClaimPath(outputDir, server);
  const mine: SubmitClaim = {
    schema: "infermark.slurm-submit/v1",
    ...thisProcessMark(),
    nonce: randomUUID(),
    since: new Date().toISOString(),
  };
  const text = `${JSON.stringify(mine, null, 2)}\n`;
  let waitedFor: string | undefined;
  for (;;) {
    const tmp = `${path}.${process.pid}.${mine.nonce}.tmp`;
    const made = await createExclusive(path, text, tmp);
    if (made === "created") break;
    if (made === "unsupported") {
      // no hard links: the plain atomic replace, exclusive only as far as this check goes
      const held = await readClaim(path);
      if (!held?.claim || !claimHolderAlive(held.claim)) {
        await rename(tmp, path);
        break;
      }
    }
    await rm(tmp, { force: true });
    const held = await readClaim(path);
    if (held && (!held.claim || !claimHolderAlive(held.claim))) {
      await removeStale(path, held.text);
      continue;
    }
    if (held?.claim && waitedFor !== held.claim.nonce) {
      waitedFor = held.claim.nonce;
      o.onWait?.(held.claim);
    }
    if (o.signal?.aborted) return undefined;
    await sleep(o.pollMs ?? 500);
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      const held = await readClaim(path);
      if (held?.claim?.nonce === mine.nonce) await rm(path, { force: true });
    },
  };
}
