import type { ResolvedSimConfig } from "../config/options.js";
import { EngineSim } from "./engine.js";
import { seededRandom } from "./rng.js";
import type { EngineRequest, RequestTimeline } from "./types.js";

/** A synthetic workload for one level. */
export interface WorkloadOptions {
  isl: number;
  osl: number;
  /** Closed loop with this many clients (each sends its next request when the previous ends). */
  concurrency?: number;
  /** Open loop: Poisson arrivals at this many requests/s (capped by `concurrency` when both). */
  rate?: number;
  requests: number;
  /** Lengths drawn uniformly from [ratio x L, L]. @default 1 (exact) */
  rangeRatio?: number;
  /** Tokens every prompt shares at its start (prefix-cache hits). @default 0 */
  prefixLength?: number;
  /** @default 0 */
  seed?: number;
}

function lengths(o: WorkloadOptions, rnd: () => number): { isl: number; osl: number } {
  const r = o.rangeRatio ?? 1;
  const draw = (l: number) => (r >= 1 ? l : Math.max(1, Math.round(l * (r + (1 - r) * rnd()))));
  return { isl: draw(o.isl), osl: draw(o.osl) };
}

function prefixHashes(prefix: number, isl: number, id: number, block: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.floor(isl / block); i++) {
    // blocks wholly inside the shared prefix hash alike for every request
    out.push((i + 1) * block <= prefix ? 0x5eed0000 + i : ((id + 1) * 1_000_003 + i) >>> 0);
  }
  return out;
}

/** Runs a workload through the engine and returns every request's timeline, in request order. */
export function runWorkload(cfg: ResolvedSimConfig, o: WorkloadOptions): RequestTimeline[] {
  const sim = new EngineSim(cfg);
  const rnd = seededRandom(o.seed ?? 0);
  const timelines: RequestTimeline[] = new Array(o.requests);
  let issued = 0;
  let inFlight = 0;
  const block = cfg.engine.blockSize;
  const make = (arrival: number): EngineRequest => {
    const { isl, osl } = lengths(o, rnd);
    const id = issued++;
    const req: EngineRequest = { id, isl, osl, arrival };
    if (o.prefixLength) req.prefixHashes = prefixHashes(o.prefixLength, isl, id, block);
    return req;
  };
  const queue: EngineRequest[] = [];
  sim.on((e) => {
    if (e.kind !== "finish") return;
    timelines[e.id] = e.timeline;
    inFlight--;
    if (o.rate === undefined && issued < o.requests) {
      inFlight++;
      sim.submit(make(e.t));
    } else if (queue.length > 0) {
      inFlight++;
      // sent now, scheduled at its arrival: the wait for a slot is the client's queue delay, as bench records it
      const held = queue.shift()!;
      sim.submit({ ...held, arrival: e.t, scheduled: held.arrival });
    }
  });
  if (o.rate === undefined) {
    const c = Math.min(o.concurrency ?? 1, o.requests);
    for (let i = 0; i < c; i++) {
      inFlight++;
      sim.submit(make(0));
    }
    while (sim.processNext()) {}
  } else {
    const cap = o.concurrency ?? Number.POSITIVE_INFINITY;
    let t = 0;
    for (let i = 0; i < o.requests; i++) {
      t += -Math.log(1 - rnd()) / o.rate;
      const req = make(t);
      sim.runUntil(t);
      if (inFlight < cap) {
        inFlight++;
        sim.submit(req);
      } else queue.push(req);
    }
    while (sim.processNext()) {}
  }
  return timelines;
}
