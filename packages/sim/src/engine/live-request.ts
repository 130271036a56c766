import type { EngineRequest, RequestTimeline } from "./types.js";

/** A submitted request's state in the engine, with the timeline it reports when it ends. */
export interface LiveRequest {
  req: EngineRequest;
  timeline: RequestTimeline;
  /** Prompt (and, after a preemption, generated) tokens whose KV exists. */
  computed: number;
  /** Tokens to prefill before decoding (the prompt, plus generated tokens after a preemption). */
  target: number;
  generated: number;
  /** Fractional accepted-token accumulator of speculative decoding. */
  acc: number;
  /** KV units it holds (`KvLayout`), and the cached prompt blocks among them that it pinned. */
  blocks: number;
  pinned: number;
  /** Arrived at this worker: in disaggregated decode, when the KV transfer ends. */
  readyAt: number;
  /** Admitted and running on a worker. */
  running: boolean;
  /** Dropped by `abort` while in a step: it leaves the worker when that step ends. */
  aborted: boolean;
}

/**
 * A request as it enters the engine: nothing computed, an empty timeline.
 * @example liveRequest({ id: 0, isl: 1024, osl: 128, arrival: 0 }).target // 1024
 */
export function liveRequest(req: EngineRequest): LiveRequest {
  const timeline: RequestTimeline = {
    id: req.id,
    isl: req.isl,
    osl: req.osl,
    arrival: req.arrival,
    scheduled: req.scheduled ?? req.arrival,
    stepEnds: [],
    stepTokens: [],
    cachedTokens: 0,
    preemptions: 0,
    end: Number.NaN,
  };
  return {
    req,
    timeline,
    computed: 0,
    target: req.isl,
    generated: 0,
    acc: 0,
    blocks: 0,
    pinned: 0,
    readyAt: req.arrival,
    running: false,
    aborted: false,
  };
}
