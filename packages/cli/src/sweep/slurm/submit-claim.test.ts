import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { processStartTime, thisProcessMark } from "../process-identity.js";
import {
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
