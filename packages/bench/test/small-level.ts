/** Client-health bounds no machine misses: tests that judge other things than the client's own timing. */
export const RELAXED = { eventLoopDelayP99Ms: 1e6, sendLagP99Ms: 1e6 };

/** One level of two short requests at concurrency 1, no warm-up (the preflight and secrets tests' run). */
export const ONE_SMALL_LEVEL = {
  model: "org/model",
  isl: 12,
  osl: 4,
  rangeRatio: 1,
  concurrency: [1],
  numRequests: 2,
  warmup: 0,
  healthBounds: RELAXED,
};
