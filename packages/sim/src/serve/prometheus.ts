import type { EngineCounters } from "../engine/types.js";
import type { RequestMetrics } from "./request-metrics.js";

/**
 * vLLM-style Prometheus text of the engine's gauges and counters; `stopped` of its finished requests ended on a
 * stop string, the others on their length; aborted requests are counted in no reason, as vLLM V1 counts them (their
 * tokens are in the token counters). `requests` adds vLLM's per-request histograms and counts each choice of an
 * n-choice request's whole prompt, as vLLM's child requests count it, once the choice has output its first token.
 */
export function prometheusText(
  model: string,
  load: { running: number; waiting: number; kvUsage: number },
  c: EngineCounters,
  stopped = 0,
  requests?: RequestMetrics,
): string {
  const shared = requests?.sharedPromptTokens ?? 0;
  // a label value escapes backslash, double quote and line feed (Prometheus text format 0.0.4)
  const value = model.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
  const l = `{model_name="${value}"}`;
  const lines: string[] = [];
  const metric = (name: string, type: "gauge" | "counter", help: string, value: number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name}${l} ${value}`);
  };
  metric("vllm:num_requests_running", "gauge", "Requests in the running batch.", load.running);
  metric(
    "vllm:num_requests_waiting",
    "gauge",
    "Requests waiting for admission (or KV transfer).",
    load.waiting,
  );
  metric("vllm:gpu_cache_usage_perc", "gauge", "KV cache usage, 0 to 1.", load.kvUsage);
  metric("vllm:kv_cache_usage_perc", "gauge", "KV cache usage, 0 to 1.", load.kvUsage);
  metric(
    "vllm:prefix_cache_queries_total",
    "counter",
    "Prompt tokens looked up in the prefix cache.",
    c.prefixQueryTokens + shared,
  );
  metric(
    "vllm:prefix_cache_hits_total",
    "counter",
    "Prompt tokens found in the prefix cache.",
    c.prefixHitTokens + shared,
  );
  metric(
    "vllm:spec_decode_num_draft_tokens_total",
    "counter",
    "Draft tokens proposed.",
    c.draftTokens,
  );
  metric(
    "vllm:spec_decode_num_accepted_tokens_total",
    "counter",
    "Draft tokens accepted.",
    c.acceptedTokens,
  );
  metric("vllm:num_preemptions_total", "counter", "Preemptions.", c.preemptions);
  // vLLM counts a sequence's prompt at its first output token (the engine's count, without `requests`, at admission)
  metric(
    "vllm:prompt_tokens_total",
    "counter",
    "Number of prefill tokens processed.",
    requests?.promptTokens ?? c.promptTokens,
  );
  metric("vllm:generation_tokens_total", "counter", "Generated tokens.", c.generationTokens);
  // vLLM's finished-request counter, a series for each of its finish reasons: a stop string or the length. vLLM V1
  // never records a request its client abandoned (its abort path skips the finished-request stats, through 0.28:
  // vllm-project/vllm#55634), so its abort series stays 0, as do error and repetition, which the simulator never has
  const finished = "vllm:request_success_total";
  const labels = (reason: string) => `${l.slice(0, -1)},finished_reason="${reason}"}`;
  lines.push(
    `# HELP ${finished} Finished requests by reason.`,
    `# TYPE ${finished} counter`,
    `${finished}${labels("stop")} ${stopped}`,
    `${finished}${labels("length")} ${c.finished - stopped}`,
    `${finished}${labels("abort")} 0`,
    `${finished}${labels("error")} 0`,
    `${finished}${labels("repetition")} 0`,
  );
  if (requests) lines.push(...requests.lines(l.slice(1, -1)));
  return `${lines.join("\n")}\n`;
}
