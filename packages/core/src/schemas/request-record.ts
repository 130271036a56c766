import { z } from "zod";
import { ErrorCategory } from "./common.js";

/** Kinds of SSE event the load generator stamps (METRICS.md "token-carrying event"). */
export const StreamEventKind = z.enum([
  "role",
  "reasoning",
  "content",
  "tool_call",
  "usage",
  "empty",
  "done",
  "error",
]);
export type StreamEventKind = z.infer<typeof StreamEventKind>;

/** Event kinds whose delta carries generated text. */
export const TOKEN_EVENT_KINDS: ReadonlySet<StreamEventKind> = new Set([
  "reasoning",
  "content",
  "tool_call",
]);

/** One stamped SSE event. `t` is milliseconds on the run's monotonic clock. */
export const StreamEvent = z
  .object({
    t: z
      .number()
      .describe("arrival time, ms on the run's monotonic clock (read return, before parsing)"),
    kind: StreamEventKind,
    tokens: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe("generated tokens this event carried, when known"),
    serverT: z
      .number()
      .optional()
      .describe("server's own send stamp (ms), when the server offers one"),
  })
  .strict();
export type StreamEvent = z.infer<typeof StreamEvent>;

export const TokenCountSource = z.enum(["usage", "tokenizer", "events"]);
export type TokenCountSource = z.infer<typeof TokenCountSource>;

/** One request as the load generator saw it. All times are ms on one monotonic clock. */
export const RequestRecord = z
  .object({
    index: z.number().int().nonnegative(),
    warmup: z.boolean().default(false),
    tSched: z.number().describe("when the load mode wanted the request sent"),
    tSend: z.number().describe("just before the first byte was written"),
    tEnd: z
      .number()
      .optional()
      .describe("when the response ended (stream closed, error or timeout)"),
    events: z.array(StreamEvent).default([]),
    promptTokens: z.number().int().nonnegative().optional(),
    promptTokensSource: TokenCountSource.optional(),
    outputTokens: z.number().int().nonnegative().optional(),
    outputTokensSource: TokenCountSource.optional(),
    outputTokensUsage: z.number().int().nonnegative().optional(),
    outputTokensTokenizer: z.number().int().nonnegative().optional(),
    cachedPromptTokens: z.number().int().nonnegative().optional(),
    requestedOutputTokens: z.number().int().nonnegative().optional(),
    error: z
      .object({
        category: ErrorCategory,
        message: z.string(),
        status: z.number().int().optional(),
      })
      .strict()
      .optional(),
    session: z.string().optional().describe("session id for multi-turn workloads"),
    turn: z.number().int().nonnegative().optional(),
  })
  .strict();
export type RequestRecord = z.infer<typeof RequestRecord>;
export type RequestRecordInput = z.input<typeof RequestRecord>;
