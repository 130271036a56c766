import { pyFloat } from "./vllm-words.js";

/** A Prometheus histogram: cumulative counts per upper bound, its sum and count. */
class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {
    this.counts = bounds.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count++;
    for (const [i, bound] of this.bounds.entries()) if (value <= bound) this.counts[i]!++;
  }
  /** Its lines, each sample's labels `labels` (without braces) and then `le`, as prometheus_client writes them. */
  lines(labels: string): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [i, bound] of this.bounds.entries())
      out.push(`${this.name}_bucket{${labels},le="${pyFloat(bound)}"} ${this.counts[i]}`);
    out.push(
      `${this.name}_bucket{${labels},le="+Inf"} ${this.count}`,
      `${this.name}_sum{${labels}} ${this.sum}`,
      `${this.name}_count{${labels}} ${this.count}`,
    );
    return out;
  }
}

/** vLLM's `build_1_2_5_buckets`: 1, 2, 5, 10, 20, 50, ... up to `max`. */
function oneTwoFive(max: number): number[] {
  const out: number[] = [];
  for (let exponent = 1; ; exponent *= 10)
    for (const m of [1, 2, 5]) {
      if (m * exponent > max) return out;
      out.push(m * exponent);
    }
}

// vLLM's buckets (vllm/v1/metrics/loggers.py)
const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80,
  160, 640, 2560,
];
const LATENCY_BUCKETS = [
  0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680,
];

/** One finished sequence (a choice), its latency in simulated seconds from its request's arrival. */
export interface FinishedSequence {
  promptTokens: number;
  generationTokens: number;
  e2e: number;
}

/**
 * vLLM V1's per-request histograms and the counts `sim serve` keeps beside the engine's. vLLM runs a request with
 * `n` choices as n child requests of the whole prompt, each observed on its own. As vLLM's `IterationStats`, a
 * choice's TTFT (from the request's arrival) and its prompt tokens in `vllm:prompt_tokens_total` are taken when its
 * first token comes out, so a request aborted after it is in both; its latency, prompt and generation tokens when
 * it finishes, and `vllm:request_params_n` once, when the last child finishes, so an aborted one is in none of those.
 */
export class RequestMetrics {
  /** `vllm:prompt_tokens_total`: each choice's whole prompt, counted when its first token comes out. */
  promptTokens = 0;
  /**
   * Prompt tokens of the other choices of n-choice requests that the first choice's prefill served: the engine
   * prefills only their last partial block, vLLM counts each child's whole prompt, found in the prefix cache.
   */
  sharedPromptTokens = 0;
  private readonly ttft = new Histogram(
    "vllm:time_to_first_token_seconds",
    "Histogram of time to first token in seconds.",
    TTFT_BUCKETS,
  );
  private readonly e2e = new Histogram(
    "vllm:e2e_request_latency_seconds",
    "Histogram of e2e request latency in seconds.",
    LATENCY_BUCKETS,
  );
  private readonly prompt: Histogram;
  private readonly generation: Histogram;
  private readonly n = new Histogram(
    "vllm:request_params_n",
    "Histogram of the n request parameter.",
    [1, 2, 5, 10, 20],
  );

  constructor(maxModelLen: number) {
    const tokens = oneTwoFive(maxModelLen);
    this.prompt = new Histogram(
      "vllm:request_prompt_tokens",
      "Number of prefill tokens processed.",
      tokens,
    );
    this.generation = new Histogram(
      "vllm:request_generation_tokens",
      "Number of generation tokens processed.",
      tokens,
    );
  }

  /** A choice's first token came out, `ttft` simulated seconds after its request arrived. */
  firstToken(promptTokens: number, ttft: number): void {
    this.promptTokens += promptTokens;
    this.ttft.observe(ttft);
  }

  /** A choice finished (not aborted). */
  finished(s: FinishedSequence): void {
    this.e2e.observe(s.e2e);
    this.prompt.observe(s.promptTokens);
    this.generation.observe(s.generationTokens);
  }

  /** The last choice of a request of `n` choices finished. */
  requestFinished(n: number): void {
    this.n.observe(n);
  }

  /** The histograms' lines, each sample labelled `labels` (`model_name="dsr1"`). */
  lines(labels: string): string[] {
    return [this.ttft, this.e2e, this.prompt, this.generation, this.n].flatMap((h) =>
      h.lines(labels),
    );
  }
}
