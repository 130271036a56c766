import { z } from "zod";

/** Summary statistics of one per-request or per-gap distribution (seconds, or tokens/s/user for interactivity). */
export const Stats = z
  .object({
    mean: z.number().optional(),
    median: z.number().optional(),
    std: z.number().optional().describe("population standard deviation"),
    p90: z.number().optional(),
    p99: z.number().optional(),
    p999: z.number().optional().describe("99.9th percentile"),
    count: z.number().int().nonnegative().optional().describe("number of samples"),
  })
  .strict();
export type Stats = z.infer<typeof Stats>;

export const STAT_KEYS = ["mean", "median", "std", "p90", "p99", "p999"] as const;
export type StatKey = (typeof STAT_KEYS)[number];

/** Error categories of a failed request (METRICS.md). */
export const ErrorCategory = z.enum([
  "connect",
  "http_status",
  "timeout",
  "stream_cut",
  "malformed_event",
  "server_error",
  "empty_output",
  "cancelled",
]);
export type ErrorCategory = z.infer<typeof ErrorCategory>;

export const Precision = z
  .string()
  .min(1)
  .describe("bf16, fp8, fp4, ... (aliases nvfp4/mxfp4 normalise to fp4)");

export const SpecDecoding = z
  .object({
    method: z.string().min(1).default("none").describe("none, mtp, eagle, draft, ngram, ..."),
    draftTokens: z.number().int().nonnegative().optional(),
    acceptanceLength: z
      .number()
      .positive()
      .optional()
      .describe("mean tokens accepted per step, including the bonus token"),
  })
  .strict();
export type SpecDecoding = z.infer<typeof SpecDecoding>;

/** One worker pool (prefill or decode) of a serving topology. */
export const WorkerPool = z
  .object({
    tp: z.number().int().positive().default(1),
    ep: z.number().int().positive().default(1),
    pp: z.number().int().positive().default(1),
    dpAttention: z.boolean().default(false),
    workers: z.number().int().nonnegative().default(1),
    gpus: z.number().int().nonnegative().describe("GPUs in this pool, all workers together"),
  })
  .strict();
export type WorkerPool = z.infer<typeof WorkerPool>;
