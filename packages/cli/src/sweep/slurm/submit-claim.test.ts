import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { processStartTime, thisProcessMark } from "../process-identity.js";
import {
  claimHolderAlive,
  claimSubmission,
  SUBMIT_CLAIM_STALE_MS,
  type SubmitClaim,
  submitClaimPath,
} from "./submit-claim.js";

const SERVER = "tiny-h200-vllm-fp8-tp1-16x4";

describe("claimSubmission (the slurm.submit file)", () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), "infermark-submit-claim-"));
  });
  afterEach(() => rm(out, { recursive: true, force: true }));

  /** A claim of `SERVER` in `out` that waits for the holder there and gives up 100 ms after it is told to wait. */
  function waitThenAbort() {
    const controller = new AbortController();
    const waits: SubmitClaim[] = [];
    const waiting = claimSubmission(out, SERVER, {
      pollMs: 20,
      signal: controller.signal,
      onWait: (c) => {
        waits.push(c);
        setTimeout(() => controller.abort(), 100);
      },
    });
    return { waiting, waits };
  }

  const writeClaim = async (claim: Partial<SubmitClaim>) => {
    const path = submitClaimPath(out, SERVER);
    await mkdir(join(out, SERVER), { recursive: true });
    await writeFile(
      path,
      JSON.stringify({
        schema: "infermark.slurm-submit/v1",
        ...thisProcessMark(),
        nonce: "other",
        since: new Date().toISOString(),
        ...claim,
      }),
    );
    return path;
  };

  it("a second sweep waits for the first to release, and is told who it waits for", async () => {
    const first = await claimSubmission(out, SERVER);
    expect(first).toBeDefined();
    const waitedFor: SubmitClaim[] = [];
    let secondHeld = false;
    const second = claimSubmission(out, SERVER, {
      pollMs: 20,
      onWait: (c) => waitedFor.push(c),
    }).then((h) => {
      secondHeld = true;
      return h;
    });
    // while the first holds it (here: another sweep of this very process), the second waits and does not get it
    await vi.waitFor(() => expect(waitedFor).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 100));
    expect(secondHeld).toBe(false);
    expect(waitedFor).toHaveLength(1);
    expect(waitedFor[0]).toMatchObject({ pid: process.pid, schema: "infermark.slurm-submit/v1" });
    await first!.release();
    const held = await second;
    expect(held).toBeDefined();
    expect(JSON.parse(await readFile(submitClaimPath(out, SERVER), "utf8")).nonce).not.toBe(
      waitedFor[0]!.nonce,
    );
    await held!.release();
    // released: nothing left in the folder, no temporary files either
    expect(await readdir(join(out, SERVER))).toEqual([]);
  });

  it("replaces the claim of a sweep on this host that was killed while submitting", async () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"]);
    await new Promise((r) => child.once("spawn", r));
    const startTime = processStartTime(child.pid!);
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
    await writeClaim({ pid: child.pid!, ...(startTime ? { startTime } : {}) });
    const waits: SubmitClaim[] = [];
    const held = await claimSubmission(out, SERVER, { onWait: (c) => waits.push(c) });
    expect(waits).toEqual([]);
    expect(JSON.parse(await readFile(submitClaimPath(out, SERVER), "utf8")).pid).toBe(process.pid);
    await held!.release();
  });

  it("waits for a recent claim of another host, replaces an old one", async () => {
    await writeClaim({ host: "login-2", pid: 4242 });
    const { waiting, waits } = waitThenAbort();
    // the other host's sweep may be in sbatch now: not taken; an aborted wait takes nothing
    expect(await waiting).toBeUndefined();
    expect(waits.map((c) => c.host)).toEqual(["login-2"]);
    expect(JSON.parse(await readFile(submitClaimPath(out, SERVER), "utf8")).host).toBe("login-2");

    const since = new Date(Date.now() - SUBMIT_CLAIM_STALE_MS - 1000).toISOString();
    await writeClaim({ host: "login-2", pid: 4242, since });
    const held = await claimSubmission(out, SERVER);
    expect(JSON.parse(await readFile(submitClaimPath(out, SERVER), "utf8")).pid).toBe(process.pid);
    await held!.release();
  });

  it("a claim taken after a wait is dated when it is taken, not when the wait began", async () => {
    const first = await claimSubmission(out, SERVER);
    const waitedFor: SubmitClaim[] = [];
    const second = claimSubmission(out, SERVER, {
      pollMs: 20,
      onWait: (c) => waitedFor.push(c),
    });
    await vi.waitFor(() => expect(waitedFor).toHaveLength(1));
    const released = Date.now();
    await first!.release();
    const held = await second;
    // before: dated when the second sweep began to wait, so a wait of 3 minutes made its claim stale at once for
    // a sweep on another host, which took it over and queued a second job beside this one's
    const claim = JSON.parse(await readFile(submitClaimPath(out, SERVER), "utf8")) as SubmitClaim;
    expect(Date.parse(claim.since)).toBeGreaterThanOrEqual(released);
    await held!.release();
  });

  it("a holder renews its claim while it holds it, and a renewed claim of another host is not stale", async () => {
    const held = await claimSubmission(out, SERVER, { renewMs: 10 });
    const path = submitClaimPath(out, SERVER);
    const taken = JSON.parse(await readFile(path, "utf8")) as SubmitClaim;
    // a slow sbatch: the holder lives and says so, the claim stays its own
    await vi.waitFor(
      async () => {
        const now = JSON.parse(await readFile(path, "utf8")) as SubmitClaim;
        expect(now.renewed).toBeDefined();
        expect(Date.parse(now.renewed!)).toBeGreaterThan(Date.parse(taken.since));
        expect([now.nonce, now.since]).toEqual([taken.nonce, taken.since]);
      },
      { timeout: 10_000, interval: 20 },
    );
    await held!.release();
    // released: the renewals stop with it and leave nothing behind (no claim, no temporary file)
    await new Promise((r) => setTimeout(r, 100));
    expect(await readdir(join(out, SERVER))).toEqual([]);

    // another host's sweep that took its claim 10 minutes ago and renewed it just now is still submitting
    const renewed = new Date().toISOString();
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString();
    const other: SubmitClaim = {
      schema: "infermark.slurm-submit/v1",
      host: "login-2",
      pid: 4242,
      nonce: "theirs",
      since: tenMinutesAgo,
    };
    expect(claimHolderAlive({ ...other, renewed })).toBe(true);
    // never renewed (a sweep before 2026-11-29): gone 3 minutes after it was taken, as before
    expect(claimHolderAlive(other)).toBe(false);
    await writeClaim({ host: "login-2", pid: 4242, since: tenMinutesAgo, renewed });
    const { waiting } = waitThenAbort();
    // before: replaced 3 minutes after it was taken, however alive its holder (two jobs of one configuration)
    expect(await waiting).toBeUndefined();
    expect(JSON.parse(await readFile(path, "utf8")).host).toBe("login-2");
  });

  it("a file that is not a claim (half-written, foreign) is replaced", async () => {
    const path = await writeClaim({});
    await writeFile(path, '{"schema":"infermark.slurm-sub');
    const held = await claimSubmission(out, SERVER);
    expect(JSON.parse(await readFile(path, "utf8")).pid).toBe(process.pid);
    await held!.release();
  });

  it("release leaves a claim that is no longer this one", async () => {
    const held = await claimSubmission(out, SERVER);
    // taken over meanwhile (this sweep was taken for gone on another host)
    const path = await writeClaim({ host: "login-2", nonce: "theirs" });
    await held!.release();
    expect(JSON.parse(await readFile(path, "utf8")).nonce).toBe("theirs");
  });
});
