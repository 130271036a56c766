import type { PointResult } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { makeItem } from "../../../test/helpers/make-point.js";
import { MAX_SERVER_METRICS, serverMetricsTable } from "./server-metrics-table.js";

const point = (serverMetrics?: PointResult["serverMetrics"]): PointResult => ({
  ...makeItem({ id: "p", source: "measured", concurrency: 4, intvty: 50, tput: 1000 }).point,
  ...(serverMetrics ? { serverMetrics } : {}),
});

describe("serverMetricsTable", () => {
  it("lists each metric before, after and its change, the derived ones first, names escaped", () => {
    const html = serverMetricsTable(
      point({
        before: { "vllm:num_preemptions_total": 2, "vllm:gpu_cache_usage_perc": 0.01, "a<b": 1 },
        after: { "vllm:num_preemptions_total": 14, "vllm:gpu_cache_usage_perc": 0.8731, "a<b": 1 },
        delta: {
          "vllm:num_preemptions_total": 12,
          "vllm:gpu_cache_usage_perc": 0.8631,
          "a<b": 0,
          "derived:prefix_cache_hit_rate": 0.25,
        },
      }),
    );
    const rows = [...html.matchAll(/<tr><th scope="row">([^<]*)<\/th>(.*?)<\/tr>/g)].map((m) => [
      m[1],
      [...m[2]!.matchAll(/<td>([^<]*)<\/td>/g)].map((c) => c[1]),
    ]);
    expect(rows).toEqual([
      ["derived:prefix_cache_hit_rate", ["–", "–", "0.2500"]],
      ["a&lt;b", ["1", "1", "0"]],
      ["vllm:gpu_cache_usage_perc", ["0.01000", "0.8731", "0.8631"]],
      ["vllm:num_preemptions_total", ["2", "14", "12"]],
    ]);
    expect(html).toMatch(
      /^<details class="server-metrics"><summary>Server metrics over the level<\/summary>/,
    );
  });

  it("is empty without server metrics, and says how many it left out past the limit", () => {
    expect(serverMetricsTable(point())).toBe("");
    const many = Object.fromEntries(
      Array.from({ length: MAX_SERVER_METRICS + 5 }, (_, i) => [
        `m${String(i).padStart(3, "0")}`,
        i,
      ]),
    );
    const html = serverMetricsTable(point({ before: many, after: many, delta: many }));
    expect(html).toContain(`(first ${MAX_SERVER_METRICS} of ${MAX_SERVER_METRICS + 5})`);
    expect(html.match(/<tr><th scope="row">/g)).toHaveLength(MAX_SERVER_METRICS);
  });
});
