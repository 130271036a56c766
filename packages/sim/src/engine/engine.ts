import type { ResolvedSimConfig } from "../config/options.js";
import { kvTransferSeconds } from "../perf/kv-transfer.js";
import { emptyStepCosts, stepCosts } from "../perf/step-time.js";
import { dropRunning, releaseBlocks, unitsFor } from "./kv-blocks.js";
import { type LiveRequest, liveRequest } from "./live-request.js";
import { planStep } from "./plan-step.js";
import type { EngineCounters, EngineEvent, EngineRequest } from "./types.js";
import { createWorkers, type Worker } from "./worker.js";

const costs = emptyStepCosts();

/**
 * A discrete-event simulation of continuous batching on the workers of one deployment: admission by
 * KV blocks, chunked prefill mixed with decode, preemption (recompute) when blocks run out, a prefix
 * cache per worker, and separate prefill and decode pools with KV transfer when disaggregated.
 * Step times come from `stepCosts`.
 */
export class EngineSim {
  readonly counters: EngineCounters = {
    promptTokens: 0,
    generationTokens: 0,
    prefixQueryTokens: 0,
    prefixHitTokens: 0,
    draftTokens: 0,
    acceptedTokens: 0,
    preemptions: 0,
    finished: 0,
    aborted: 0,
    steps: 0,
  };
  now = 0;
  private readonly workers: Worker[];
  private readonly transfers: { at: number; live: LiveRequest }[] = [];
  /** Requests submitted and not finished, by id. */
  private readonly lives = new Map<number, LiveRequest>();
  private readonly listeners: ((e: EngineEvent) => void)[] = [];
  private readonly block: number;
  private readonly accept: number;
  private rr = 0;

  constructor(readonly cfg: ResolvedSimConfig) {
    this.block = cfg.engine.blockSize;
    this.accept = cfg.spec.acceptanceLength;
    this.workers = createWorkers(cfg);
  }

  /** Registers an observer of finish and preemption events. */
  on(listener: (e: EngineEvent) => void): void {
    this.listeners.push(listener);
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Observers of token events only (kept apart so that runs without them allocate nothing). */
  private readonly tokenListeners: ((e: EngineEvent) => void)[] = [];

  /** Registers an observer of token events (the HTTP server streams them). */
  onTokens(listener: (e: EngineEvent) => void): void {
    this.tokenListeners.push(listener);
  }

  /** Requests admitted and not finished, and requests waiting, over all workers. */
  load(): { running: number; waiting: number; kvUsage: number } {
    let running = 0;
    let waiting = this.transfers.length;
    let used = 0;
    let cap = 0;
    for (const w of this.workers) {
      running += w.running.length;
      waiting += w.waiting.length;
      // as vLLM counts it: cached blocks no request holds are free (the allocator evicts them on demand), so an
      // idle server reads 0 however much its prefix cache holds
      used += w.usedBlocks - w.cache.evictable * w.kv.full;
      cap += w.capacityBlocks;
    }
    return { running, waiting, kvUsage: cap > 0 ? used / cap : 0 };
  }

  /**
   * Submits a request arriving now; the clock moves to `req.arrival` when that is later (callers run
   * the engine up to the arrival first).
   */
  submit(req: EngineRequest): void {
    if (req.arrival > this.now) this.now = req.arrival;
    const live = liveRequest(req);
    this.lives.set(req.id, live);
    const first = this.workers.filter((w) => w.role !== "decode");
    // least-loaded routing among the workers of the first pool
    let best = first[0]!;
    for (const w of first)
      if (w.running.length + w.waiting.length < best.running.length + best.waiting.length) best = w;
    best.waiting.push(live);
    this.kick(best, Math.max(this.now, req.arrival));
  }

  /**
   * Drops a request whose client went away, as vLLM aborts a request on disconnect: a waiting request (or
   * one in KV transfer) leaves at once; a running one when the step in flight ends (schedulers drop aborted
   * requests between steps), its KV blocks freed for the next. It emits `finish` with `aborted`, and no more
   * tokens. False when the request is unknown or already finished.
   */
  abort(id: number): boolean {
    const live = this.lives.get(id);
    if (!live) return false;
    live.aborted = true;
    for (const w of this.workers) {
      const i = w.waiting.indexOf(live);
      if (i >= 0) {
        w.waiting.splice(i, 1);
        this.finishAborted(live);
        return true;
      }
    }
    const ti = this.transfers.findIndex((x) => x.live === live);
    if (ti >= 0) {
      this.transfers.splice(ti, 1);
      this.finishAborted(live);
    }
    return true;
  }

  private finishAborted(live: LiveRequest): void {
    this.lives.delete(live.req.id);
    this.counters.aborted++;
    live.timeline.aborted = true;
    live.timeline.end = this.now;
    this.emit({ kind: "finish", id: live.req.id, t: this.now, timeline: live.timeline });
  }

  /** Time of the next internal event, or Infinity when nothing is pending. */
  nextEventTime(): number {
    let t = Number.POSITIVE_INFINITY;
    for (const w of this.workers) if (w.stepEnd < t) t = w.stepEnd;
    for (const x of this.transfers) if (x.at < t) t = x.at;
    return t;
  }

  /** Processes every event up to and including time `t`; the clock ends at `t`. */
  runUntil(t: number): void {
    for (;;) {
      const next = this.nextEventTime();
      if (next > t) break;
      this.processNext();
    }
    if (t > this.now && Number.isFinite(t)) this.now = t;
  }

  /** Processes the next event; false when nothing is pending. */
  processNext(): boolean {
    let w: Worker | undefined;
    let at = Number.POSITIVE_INFINITY;
    for (const x of this.workers)
      if (x.stepEnd < at) {
        at = x.stepEnd;
        w = x;
      }
    let ti = -1;
    for (let i = 0; i < this.transfers.length; i++)
      if (this.transfers[i]!.at < at) {
        at = this.transfers[i]!.at;
        ti = i;
      }
    if (!Number.isFinite(at)) return false;
    this.now = Math.max(this.now, at);
    if (ti >= 0) {
      const { live } = this.transfers.splice(ti, 1)[0]!;
      this.arriveAtDecode(live);
    } else if (w) {
      this.finishStep(w);
    }
    return true;
  }

  private arriveAtDecode(live: LiveRequest): void {
    const pool = this.workers.filter((w) => w.role === "decode");
    const w = pool[this.rr++ % pool.length]!;
    // the first token leaves once the KV cache has arrived
    this.produce(live, 1, this.now);
    if (live.generated >= live.req.osl) {
      this.complete(live, undefined);
      return;
    }
    live.computed = live.req.isl;
    live.target = live.req.isl;
    w.waiting.push(live);
    this.kick(w, this.now);
  }

  /** Starts a step on an idle worker that has work. */
  private kick(w: Worker, at: number): void {
    if (Number.isFinite(w.stepEnd) || w.applying) return;
    this.admit(w);
    const b = planStep(w, this.cfg.engine);
    if (!b) return;
    const dt = stepCosts(w.model, b, costs).total;
    w.stepEnd = at + dt;
    this.counters.steps++;
  }

  /** Frees blocks: evicts idle cached blocks, then preempts the newest running request. */
  private reserve(w: Worker, need: number, self: LiveRequest | undefined): boolean {
    let free = w.capacityBlocks - w.usedBlocks;
    if (free >= need) return true;
    // a cached block holds its full-attention layers' units (none when every layer slides)
    if (w.kv.full > 0) {
      const freed = w.cache.evict(Math.ceil((need - free) / w.kv.full)) * w.kv.full;
      w.usedBlocks -= freed;
      free += freed;
    }
    while (free < need) {
      const victim = [...w.running].reverse().find((l) => l !== self);
      if (!victim) return false;
      this.preempt(w, victim);
      free = w.capacityBlocks - w.usedBlocks;
    }
    return true;
  }

  private preempt(w: Worker, live: LiveRequest): void {
    dropRunning(w, live);
    // recompute: prompt and generated tokens are prefilled again
    live.computed = 0;
    live.target = live.req.isl + (w.role === "decode" ? 0 : live.generated);
    live.timeline.preemptions++;
    this.counters.preemptions++;
    w.waiting.unshift(live);
    this.emit({ kind: "preempt", id: live.req.id, t: this.now });
  }

  private admit(w: Worker): void {
    const maxRunning = this.cfg.engine.maxRunningRequests * w.model.attnDp;
    while (w.waiting.length > 0 && w.running.length < maxRunning) {
      const live = w.waiting[0]!;
      if (live.readyAt > this.now + 1e-12) break;
      const hashes = live.req.prefixHashes ?? [];
      const usable = Math.min(hashes.length, Math.floor((live.req.isl - 1) / this.block));
      const hit = live.computed > 0 ? 0 : Math.min(w.cache.match(hashes), usable);
      const total = unitsFor(w.kv, live.target + 1, this.block);
      const need = total - hit * w.kv.full;
      // the cached blocks it hits are pinned, not evicted: those that are idle do not count as room
      const room =
        w.capacityBlocks -
        w.usedBlocks +
        (w.cache.evictable - w.cache.idleAmong(hashes, hit)) * w.kv.full;
      if (room < need) {
        if (w.running.length === 0 && need > w.capacityBlocks) {
          // can never fit: reject it rather than stall the engine
          w.waiting.shift();
          live.timeline.rejected = true;
          this.complete(live, undefined);
          continue;
        }
        break;
      }
      // pinned before making room: evicting the blocks it hits, then pinning them, held blocks that were freed
      w.cache.pin(hashes, hit);
      if (!this.reserve(w, need, undefined)) {
        w.cache.release(hashes.slice(0, hit), hit);
        break;
      }
      w.waiting.shift();
      w.usedBlocks += need;
      live.blocks = total;
      live.pinned = hit;
      if (w.role !== "decode" && live.computed === 0) {
        live.computed = hit * this.block;
        live.timeline.cachedTokens = live.computed;
        this.counters.prefixQueryTokens += live.req.isl;
        this.counters.prefixHitTokens += live.computed;
        this.counters.promptTokens += live.req.isl;
      }
      w.running.push(live);
      live.running = true;
    }
  }

  private finishStep(w: Worker): void {
    const t = w.stepEnd;
    w.stepEnd = Number.POSITIVE_INFINITY;
    w.applying = true;
    for (const live of [...w.running]) {
      if (!live.aborted) continue;
      dropRunning(w, live);
      this.finishAborted(live);
    }
    const draft = w.model.draftTokens;
    for (const { live, tokens } of w.prefilling) {
      if (live.aborted) continue;
      live.computed += tokens;
      if (live.computed < live.target) continue;
      if (w.role === "prefill") {
        this.leavePrefill(w, live, t);
      } else if (live.generated === 0) {
        this.produce(live, 1, t);
        if (live.generated >= live.req.osl) this.complete(live, w);
      }
    }
    for (const live of w.decoding) {
      if (!live.running) continue;
      const before = Math.floor(live.acc);
      live.acc += this.accept;
      const n = Math.min(Math.floor(live.acc) - before, live.req.osl - live.generated);
      if (draft > 0) {
        this.counters.draftTokens += draft;
        this.counters.acceptedTokens += Math.max(0, n - 1);
      }
      const grow = unitsFor(w.kv, live.req.isl + live.generated + n + 1, this.block) - live.blocks;
      if (grow > 0) {
        if (!this.reserve(w, grow, live)) {
          this.preempt(w, live);
          continue;
        }
        w.usedBlocks += grow;
        live.blocks += grow;
      }
      this.produce(live, n, t);
      if (live.generated >= live.req.osl) this.complete(live, w);
    }
    w.applying = false;
    this.kick(w, t);
  }

  private leavePrefill(w: Worker, live: LiveRequest, t: number): void {
    releaseBlocks(w, live, this.block);
    w.running.splice(w.running.indexOf(live), 1);
    live.running = false;
    live.readyAt = t + kvTransferSeconds(this.cfg, live.req.isl);
    this.transfers.push({ at: live.readyAt, live });
  }

  private produce(live: LiveRequest, n: number, t: number): void {
    if (n <= 0) return;
    live.generated += n;
    live.timeline.stepEnds.push(t);
    live.timeline.stepTokens.push(n);
    this.counters.generationTokens += n;
    if (this.tokenListeners.length > 0) {
      const e: EngineEvent = {
        kind: "tokens",
        id: live.req.id,
        t,
        count: n,
        total: live.generated,
      };
      for (const l of this.tokenListeners) l(e);
    }
  }

  private complete(live: LiveRequest, w: Worker | undefined): void {
    this.lives.delete(live.req.id);
    if (w) {
      const i = w.running.indexOf(live);
      if (i >= 0) {
        w.running.splice(i, 1);
        live.running = false;
        releaseBlocks(w, live, this.block);
      }
    }
    live.timeline.end = live.timeline.stepEnds.at(-1) ?? this.now;
    if (!live.timeline.rejected) this.counters.finished++;
    this.emit({ kind: "finish", id: live.req.id, t: live.timeline.end, timeline: live.timeline });
  }
}
