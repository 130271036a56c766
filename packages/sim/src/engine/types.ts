/** A request as the engine receives it. */
export interface EngineRequest {
  id: number;
  /** Prompt tokens. */
  isl: number;
  /** Output tokens to generate (the engine always generates exactly this many). */
  osl: number;
  /** Arrival time, seconds on the simulated clock: when the client sends it. */
  arrival: number;
  /**
   * When the load wanted it sent (`t_sched`): never after `arrival`, before it when an open loop held the
   * request for a free slot under its concurrency cap. @default arrival
   */
  scheduled?: number;
  /**
   * Chain hashes of the request's full blocks, for the prefix cache: the prompt's, and optionally on past it
   * over the tokens the request will generate. Only prompt blocks are looked up; when a request finishes on
   * a worker that generated its output, every block it filled with a known hash stays cached, as vLLM's
   * prefix cache keeps the full blocks of generated tokens, so a next conversation turn that resends this
   * prompt and its answer finds both.
   */
  prefixHashes?: readonly number[];
}

/** What happened to one request. Times are seconds on the simulated clock. */
export interface RequestTimeline {
  id: number;
  isl: number;
  osl: number;
  /** When the client sent it (`t_send`); TTFT runs from here. */
  arrival: number;
  /** When the load wanted it sent (`t_sched`); `arrival - scheduled` is its queue delay in the client. */
  scheduled: number;
  /** When each step that produced tokens for this request ended, and how many it produced. */
  stepEnds: number[];
  stepTokens: number[];
  cachedTokens: number;
  preemptions: number;
  end: number;
  /** The request can never fit the KV cache of a worker; it produced nothing. */
  rejected?: boolean;
  /** The client went away and the request was dropped (`EngineSim.abort`) before its last token. */
  aborted?: boolean;
}

/** Tagged engine events, for observers (the HTTP server streams `tokens`). */
export type EngineEvent =
  | { kind: "tokens"; id: number; t: number; count: number; total: number }
  | { kind: "finish"; id: number; t: number; timeline: RequestTimeline }
  | { kind: "preempt"; id: number; t: number };

/** Counters in the style of vLLM's /metrics. */
export interface EngineCounters {
  promptTokens: number;
  generationTokens: number;
  prefixQueryTokens: number;
  prefixHitTokens: number;
  draftTokens: number;
  acceptedTokens: number;
  preemptions: number;
  /** Requests that generated all their tokens. */
  finished: number;
  /** Requests dropped by `abort` before they finished. */
  aborted: number;
  steps: number;
}
