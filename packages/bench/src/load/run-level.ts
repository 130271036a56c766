import { setMaxListeners } from "node:events";
import type { ClientHealth } from "@infermark/core";
import { eventLogFor, withEvents } from "../client/event-log.js";
import type { InFlightRequest, SendOutcome } from "../client/send-request.js";
import type { ThreadHealth } from "../client/worker-messages.js";
import { now } from "../clock.js";
import { ClientMonitor, type HealthBounds } from "../health/client-monitor.js";
import type { Rng } from "../rng.js";
import type { WorkItem, Workload } from "../workload/types.js";
import { type ArrivalKind, interArrivals } from "./arrivals.js";
import { sleepUntil } from "./sleep.js";

/**
 * One load level: closed loop at a concurrency, open loop at a rate, or open loop on a fixed schedule (a trace);
 * an open loop optionally capped.
 */
export interface LevelPlan {
  mode: "concurrency" | "rate" | "trace";
  /** Closed-loop concurrency, or the cap on requests in flight in rate and trace mode. */
  concurrency?: number;
  /** Requests per second (rate mode). */
  rate?: number;
  arrival?: ArrivalKind;
  burstiness?: number;
  /** Measured requests; the level ends when they are all sent (and finished). */
  requests?: number;
  /** Measured duration (s) from the first measured send; no request is sent after it. */
  durationS?: number;
  /** Requests sent first and excluded from the measured window. */
  warmup: number;
  /**
   * Trace mode: when to send each request (warm-up first), ms after the level's first send (the simulated
   * engine's under a time scale, as a rate is). Holds at least `warmup + requests` entries.
   */
  schedule?: readonly number[];
}

/** A request as the level ran it (raw outcome; records are built afterwards). */
export interface SentRequest {
  index: number;
  warmup: boolean;
  tSched: number;
  item: WorkItem;
  outcome: SendOutcome;
}

/** Live figures of a running level. */
export interface LevelProgress {
  done: number;
  inFlight: number;
  errors: number;
  outputTokens: number;
  elapsedS: number;
  tokensPerS: number;
}

export interface RunLevelInput {
  plan: LevelPlan;
  workload: Workload;
  /** Sends one item (the caller builds the body and owns the transport). */
  send(item: WorkItem): InFlightRequest;
  rng: Rng;
  /** Aborting stops sending; requests in flight get `drainTimeoutMs` to finish, then are cancelled. */
  signal?: AbortSignal;
  /** Aborting cancels every request in flight at once (a second Ctrl-C). */
  cancelSignal?: AbortSignal;
  drainTimeoutMs: number;
  healthBounds: HealthBounds;
  onProgress?(progress: LevelProgress): void;
  /** @default 1000 */
  progressIntervalMs?: number;
  /**
   * Event-loop watching of the threads that stamp reads, when they are not this one (client
   * worker threads); their delays count in the level's client health.
   */
  transportHealth?: {
    start(): void;
    stop(): Promise<ThreadHealth[]>;
  };
}

export interface LevelRun {
  requests: SentRequest[];
  /**
   * Stopped by the signal before the level's bound, or requests of it cancelled (a second Ctrl-C, the drain
   * timeout, or `cancelSignal`) before they ended.
   */
  incomplete: boolean;
  client: ClientHealth;
  /**
   * Highest event-loop utilization (busy share, 0-1) of the threads that stamped reads; undefined when the level
   * ran under a second of wall time, where the share is start-up noise rather than load.
   */
  loopUtilization?: number;
}

/**
 * Runs one load level and returns every request it sent, warm-up included (flagged).
 * Closed loop keeps exactly `concurrency` slots, each sending its next request when its previous
 * one ends, so the concurrency is never exceeded. Open loop sends on a seeded arrival schedule;
 * a request that finds the cap full waits (its queue delay is reported, never hidden).
 */
export async function runLevel(input: RunLevelInput): Promise<LevelRun> {
  const { plan, workload } = input;
  const monitor = new ClientMonitor(input.healthBounds);
  const total =
    plan.requests === undefined ? Number.POSITIVE_INFINITY : plan.warmup + plan.requests;
  const inFlight = new Map<number, InFlightRequest>();
  const done: SentRequest[] = [];
  const stop = new AbortController();
  // every session thinking (or every arrival waiting) at once listens on it, each until its wait ends: more than
  // Node's 10 is no leak, and its MaxListenersExceededWarning on stderr was noise
  setMaxListeners(0, stop.signal);
  let issued = 0;
  let active = 0;
  let stoppedAt = Number.POSITIVE_INFINITY;
  let deadline = Number.POSITIVE_INFINITY;
  let stoppedBySignal = false;
  // set once requests in flight are cancelled: each one it cuts short leaves the level incomplete
  let cancelling = false;
  let cancelledByStop = 0;
  let exhausted = false;
  let errors = 0;
  let outputTokens = 0;
  const started = now();
  const onAbort = () => {
    stoppedBySignal = true;
    stoppedAt = now();
    stop.abort();
  };
  input.signal?.addEventListener("abort", onAbort, { once: true });
  if (input.signal?.aborted) onAbort();
  const onCancel = () => {
    cancelling = true;
    for (const r of inFlight.values()) r.cancel();
  };
  input.cancelSignal?.addEventListener("abort", onCancel, { once: true });

  const canIssue = () => !stop.signal.aborted && !exhausted && issued < total && now() < deadline;
  let slotWaiters: (() => void)[] = [];
  /**
   * Open loop under a cap: when each free slot freed, earliest first (one entry per free slot). A
   * request sent behind its schedule because of the cap lags only from its slot's freeing: several
   * slots can free in one turn, and those the loop takes without waiting freed before it looked.
   */
  const capped = plan.mode !== "concurrency" && plan.concurrency !== undefined;
  const freedAt: number[] = capped
    ? Array.from({ length: plan.concurrency! }, () => Number.NEGATIVE_INFINITY)
    : [];
  const freeSlot = () => {
    if (capped) freedAt.push(now());
    slotWaiters.shift()?.();
  };

  /**
   * Takes the next item (or sends `given`: a session's turn under an open loop, whose slot is the session's and
   * frees when the session ends) and sends it; resolves when it has ended.
   */
  const issue = async (tSched: number, lagFrom: number, given?: WorkItem): Promise<void> => {
    const index = issued++;
    active++;
    const warmup = index < plan.warmup;
    const release = given ? () => {} : freeSlot;
    let item = given ?? workload.next();
    if (item instanceof Promise) item = await item;
    if (!item) {
      exhausted = true;
      active--;
      release();
      return;
    }
    if (item.notBefore !== undefined && item.notBefore > now()) {
      await sleepUntil(item.notBefore, stop.signal);
      tSched = Math.max(tSched, item.notBefore);
      lagFrom = Math.max(lagFrom, item.notBefore);
    }
    const request = input.send(item);
    const outcome = request.outcome;
    if (!warmup && deadline === Number.POSITIVE_INFINITY && plan.durationS !== undefined) {
      deadline = now() + plan.durationS * 1000;
    }
    inFlight.set(index, request);
    const result = await outcome;
    // the outcome's tSend is when the transport sent it (a worker thread's stamp, on this clock). Measured sends
    // only: the warm-up's are the level's start-up (a closed loop's first sends all leave at once, queued behind
    // each other in a worker thread), which the warm-up is there to keep out of the figures
    if (!warmup) monitor.sendLag(result.tSend - lagFrom);
    inFlight.delete(index);
    active--;
    if (result.failure) errors++;
    if (cancelling && result.failure?.category === "cancelled") cancelledByStop++;
    outputTokens += result.usage.completionTokens ?? eventLogFor(result).tokenCount();
    const sent: SentRequest = { index, warmup, tSched, item, outcome: result };
    done.push(sent);
    workload.complete?.({
      item,
      text: result.text,
      record: withEvents(
        {
          index,
          warmup,
          tSched,
          tSend: result.tSend,
          // a session ends at a failed turn
          ...(result.failure
            ? { error: { category: result.failure.category, message: result.failure.message } }
            : {}),
        },
        eventLogFor(result),
      ),
    });
    release();
  };

  /**
   * Sessions under an open loop: an arrival starts a session, which then sends its turns one after the other (each
   * after its think time) until it ends or the level's bound is reached; its slot under the cap frees at its end.
   */
  const sessions = workload.startSession && workload.continueSession ? workload : undefined;
  let activeSessions = 0;
  const runSession = async (tSched: number, lagFrom: number): Promise<void> => {
    activeSessions++;
    try {
      let item: WorkItem | undefined = await sessions!.startSession!();
      let [t, lag] = [tSched, lagFrom];
      while (item && canIssue()) {
        await issue(t, lag, item);
        item = sessions!.continueSession!(item);
        // a later turn is due at the end of its think time (issue waits for notBefore), not queued
        t = lag = now();
      }
    } finally {
      activeSessions--;
      freeSlot();
    }
  };

  const progress = () => {
    const elapsedS = (now() - started) / 1000;
    input.onProgress?.({
      done: done.length,
      inFlight: inFlight.size,
      errors,
      outputTokens,
      elapsedS,
      tokensPerS: elapsedS > 0 ? outputTokens / elapsedS : 0,
    });
  };
  const ticker = input.onProgress
    ? setInterval(progress, input.progressIntervalMs ?? 1000)
    : undefined;
  monitor.start();
  input.transportHealth?.start();
  let sending: Promise<unknown>;
  if (plan.mode === "concurrency") {
    const slot = async () => {
      while (canIssue()) {
        const t = now();
        await issue(t, t);
      }
    };
    sending = Promise.all(Array.from({ length: plan.concurrency ?? 1 }, slot));
  } else {
    sending = openLoop();
  }

  async function openLoop(): Promise<void> {
    const { schedule } = plan;
    const gap = schedule
      ? undefined
      : interArrivals(plan.rate ?? 1, plan.arrival ?? "poisson", plan.burstiness ?? 1, input.rng);
    const cap = plan.concurrency ?? Number.POSITIVE_INFINITY;
    const pending = new Set<Promise<void>>();
    const t0 = now();
    let tNext = t0 + (schedule?.[0] ?? 0);
    let sent = 0;
    // under a cap, sessions hold their slot from their first turn to their last, think times included
    const holding = () => (sessions ? activeSessions : active);
    while (canIssue()) {
      await sleepUntil(tNext, stop.signal);
      if (!canIssue()) break;
      while (holding() >= cap && !stop.signal.aborted) {
        await new Promise<void>((resolve) => slotWaiters.push(resolve));
      }
      if (stop.signal.aborted) break;
      const lagFrom = Math.max(tNext, freedAt.shift() ?? Number.NEGATIVE_INFINITY);
      const p = sessions ? runSession(tNext, lagFrom) : issue(tNext, lagFrom);
      pending.add(p);
      p.finally(() => pending.delete(p));
      sent++;
      // a fixed schedule counts from the first send, so a slipped send does not move the ones after it
      tNext = schedule ? t0 + (schedule[sent] ?? 0) : tNext + gap!();
    }
    await Promise.all(pending);
  }

  const drain = async () => {
    await sending;
  };
  const draining = drain();
  await Promise.race([
    draining,
    new Promise<void>((r) => stop.signal.addEventListener("abort", () => r(), { once: true })),
  ]);
  if (stop.signal.aborted) {
    for (const w of slotWaiters) w();
    slotWaiters = [];
    const timer = setTimeout(onCancel, input.drainTimeoutMs);
    await draining;
    clearTimeout(timer);
  }
  if (ticker) clearInterval(ticker);
  progress();
  input.signal?.removeEventListener("abort", onAbort);
  input.cancelSignal?.removeEventListener("abort", onCancel);
  const client = monitor.stop();
  let loopUtilization = monitor.utilization;
  if (input.transportHealth) {
    const threads = await input.transportHealth.stop();
    mergeHealth(client, threads, input.healthBounds);
    for (const t of threads)
      if (t.utilization !== undefined)
        loopUtilization = Math.max(loopUtilization ?? 0, t.utilization);
  }
  done.sort((a, b) => a.index - b.index);
  return {
    requests: done,
    incomplete: (stoppedBySignal && issued < total && stoppedAt < deadline) || cancelledByStop > 0,
    client,
    loopUtilization,
  };
}

/** Folds worker threads' event-loop delays into the level's health (the worst thread counts). */
function mergeHealth(into: ClientHealth, workers: ThreadHealth[], bounds: HealthBounds): void {
  for (const w of workers) {
    if (w.eventLoopDelayP99Ms !== undefined)
      into.eventLoopDelayP99Ms = Math.max(into.eventLoopDelayP99Ms ?? 0, w.eventLoopDelayP99Ms);
    if (w.eventLoopDelayMaxMs !== undefined)
      into.eventLoopDelayMaxMs = Math.max(into.eventLoopDelayMaxMs ?? 0, w.eventLoopDelayMaxMs);
  }
  if ((into.eventLoopDelayP99Ms ?? 0) > bounds.eventLoopDelayP99Ms) into.saturated = true;
  if (workers.some((w) => (w.utilization ?? 0) > bounds.loopUtilization)) into.saturated = true;
}
