import { randomUUID } from "node:crypto";
import { readFile, rename, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createExclusive, writeAtomic } from "../atomic-files.js";
import { markAlive, type ProcessMark, thisProcessMark } from "../process-identity.js";
import { serverDir } from "../results-dir.js";

/*
 * Two sweeps of one spec into one shared output folder, started at the same moment (two login nodes, a retried CI
 * step), would each find no recorded job (`slurm.job`) and each queue one for the same configuration. The sweep that
 * submits a configuration's job therefore first holds `<out>/<server>/slurm.submit`, created exclusively, from
 * before it looks for a recorded job until that job is recorded; another sweep waits for it and then follows the
 * job it recorded. While it holds the claim the holder renews it (`renewed`), so that a holder that is alive but
 * slow (an sbatch waiting on a busy slurmctld, a slow shared filesystem) is not taken for gone by a sweep on another
 * host, which cannot check its process.
 */

/** Who holds a configuration's submission. */
export interface SubmitClaim extends ProcessMark {
  schema: "infermark.slurm-submit/v1";
  /** Tells two sweeps of one process apart. */
  nonce: string;
  /** When it was taken (ISO 8601). */
  since: string;
  /** When its holder last renewed it (ISO 8601); claims before 2026-11-29 lack it. */
  renewed?: string;
}

/**
 * A holder on another host is taken for gone once its claim has not been renewed (or, never renewed, taken) for this
 * long: six renewals missed. On this host the holder's process is checked instead.
 */
export const SUBMIT_CLAIM_STALE_MS = 3 * 60_000;

/** How often a holder renews its claim. */
export const SUBMIT_CLAIM_RENEW_MS = 30_000;

/** `<out>/<server>/slurm.submit` */
export const submitClaimPath = (outputDir: string, server: string): string =>
  join(serverDir(outputDir, server), "slurm.submit");

/**
 * Whether the sweep that wrote `claim` may still be submitting (it runs, or, on another host, renewed its claim
 * recently).
 */
export function claimHolderAlive(claim: SubmitClaim, nowMs = Date.now()): boolean {
  // another sweep of this process releases its claim when it is done, even when it fails
  if (claim.host === hostname() && claim.pid === process.pid) return true;
  return (
    markAlive(claim) ?? nowMs - Date.parse(claim.renewed ?? claim.since) < SUBMIT_CLAIM_STALE_MS
  );
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
      typeof c.since === "string" &&
      (c.renewed === undefined || typeof c.renewed === "string");
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

/** A claim taken: `release` removes it, once, only while it is still this claim, and stops its renewals. */
export interface HeldSubmission {
  /**
   * Whether it replaced the claim of a holder that is gone: that sweep may have been stopped after sbatch queued its
   * job and before it recorded the job (see `queueJob`).
   */
  replacedStale: boolean;
  release(): Promise<void>;
}

/**
 * Takes the submission of a server configuration's job in `outputDir`, waiting while another sweep holds it; a claim
 * whose holder is gone (killed during `sbatch`) is replaced. The claim is renewed every `renewMs` until released.
 * `onWait` is told once per holder waited for; undefined when `signal` aborts the wait.
 * @example const held = await claimSubmission(out, server.name, { onWait }); try { ... } finally { await held.release() }
 */
export async function claimSubmission(
  outputDir: string,
  server: string,
  o: {
    onWait?: (holder: SubmitClaim) => void;
    signal?: AbortSignal;
    pollMs?: number;
    /** @default SUBMIT_CLAIM_RENEW_MS */
    renewMs?: number;
  } = {},
): Promise<HeldSubmission | undefined> {
  const path = submitClaimPath(outputDir, server);
  const mark = thisProcessMark();
  const nonce = randomUUID();
  const claimText = (since: string, renewed?: string) => {
    const claim: SubmitClaim = {
      schema: "infermark.slurm-submit/v1",
      ...mark,
      nonce,
      since,
      ...(renewed ? { renewed } : {}),
    };
    return `${JSON.stringify(claim, null, 2)}\n`;
  };
  let waitedFor: string | undefined;
  let replacedStale = false;
  let since: string;
  for (;;) {
    // dated when taken: a claim dated from before a long wait would look stale to another host at once
    since = new Date().toISOString();
    const tmp = `${path}.${process.pid}.${nonce}.tmp`;
    const made = await createExclusive(path, claimText(since), tmp);
    if (made === "created") break;
    if (made === "unsupported") {
      // no hard links: the plain atomic replace, exclusive only as far as this check goes
      const held = await readClaim(path);
      if (!held?.claim || !claimHolderAlive(held.claim)) {
        replacedStale ||= held !== undefined;
        await rename(tmp, path);
        break;
      }
    }
    await rm(tmp, { force: true });
    const held = await readClaim(path);
    if (held && (!held.claim || !claimHolderAlive(held.claim))) {
      replacedStale = true;
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
  // one renewal at a time, and none after the release (it would put the claim back)
  let renewing: Promise<void> = Promise.resolve();
  const renew = async () => {
    if (released) return;
    const held = await readClaim(path);
    // taken over (this sweep was taken for gone): left to its new holder
    if (held?.claim?.nonce !== nonce) return;
    await writeAtomic(path, claimText(since, new Date().toISOString()));
  };
  const timer = setInterval(() => {
    renewing = renewing.then(renew).catch(() => undefined);
  }, o.renewMs ?? SUBMIT_CLAIM_RENEW_MS);
  // a held claim does not keep the process alive
  timer.unref();
  return {
    replacedStale,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await renewing;
      const held = await readClaim(path);
      if (held?.claim?.nonce === nonce) await rm(path, { force: true });
    },
  };
}
