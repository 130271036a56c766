import { PointResult, RequestRecord } from "@infermark/core";

/**
 * A measured point with 24 request records (4 in flight, 20 output tokens each, one timeout), two GPUs' power
 * samples and the server's metrics: what the run detail view needs.
 */
export function ownRun(): { point: PointResult; requests: RequestRecord[] } {
  const requests: RequestRecord[] = [];
  for (let i = 0; i < 24; i++) {
    const slot = Math.floor(i / 4);
    const tSend = slot * 2000 + (i % 4) * 10;
    const ttft = 100 + (i % 4) * 50;
    const events = Array.from({ length: 20 }, (_, k) => ({
      t: tSend + ttft + k * 80,
      kind: "content",
      tokens: 1,
    }));
    const timeout = i === 23;
    requests.push(
      RequestRecord.parse({
        index: i,
        tSched: tSend,
        tSend,
        tEnd: timeout ? tSend + 1900 : tSend + ttft + 19 * 80,
        events: timeout ? [] : events,
        outputTokens: timeout ? 0 : 20,
        promptTokens: 1024,
        ...(timeout ? { error: { category: "timeout", message: "no token in 1.9 s" } } : {}),
      }),
    );
  }
  const samples = [];
  for (let t = 0; t <= 12_000; t += 500)
    for (const gpu of [0, 1]) samples.push({ t, gpu, watts: 600 + gpu * 50 + (t / 500) * 5 });
  const point = PointResult.parse({
    schema: "infermark.point/v1",
    run: { source: "measured", date: "2026-07-01T12:00:00Z", runId: "e2e" },
    config: {
      model: "dsr1",
      hardware: "h200",
      framework: "vllm",
      precision: "fp8",
      image: "vllm/vllm-openai:v0.11.0",
      topology: { gpus: 2, prefillGpus: 2, decodeGpus: 2 },
      workload: { isl: 1024, osl: 1024 },
      load: { mode: "concurrency", concurrency: 4 },
    },
    metrics: {
      completed: 23,
      tputPerGpu: 900,
      inputTputPerGpu: 800,
      outputTputPerGpu: 100,
      intvty: { median: 12.5 },
      ttft: { median: 0.175 },
      tpot: { median: 0.08 },
      e2el: { median: 1.695 },
    },
    errors: { total: 1, requests: 24, rate: 1 / 24, byCategory: { timeout: 1 } },
    validity: { valid: true },
    energy: { kind: "measured", valid: true, jPerTotalToken: 0.7, samples },
    // the engine's /metrics before and after the level
    serverMetrics: {
      before: { "vllm:num_preemptions_total": 0, "vllm:prompt_tokens_total": 1000 },
      after: { "vllm:num_preemptions_total": 3, "vllm:prompt_tokens_total": 25576 },
      delta: {
        "vllm:num_preemptions_total": 3,
        "vllm:prompt_tokens_total": 24576,
        "derived:prefix_cache_hit_rate": 0.125,
      },
    },
  });
  return { point, requests };
}
