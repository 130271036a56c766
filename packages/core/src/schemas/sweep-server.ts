import { z } from "zod";
import { seconds } from "./sweep-bounds.js";

const TemplateValues = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .describe("extra {{placeholders}} for the templates (constants of this recipe)");

/**
 * How a point's server is started. Templates use `{{name}}` placeholders filled from the point (model, modelId, tp,
 * ep, dp, gpus, dpAttention, expertParallel, mtp, draftTokens, isl, osl, maxModelLen, maxConcurrency, port, ...;
 * see docs/sweep.md) and `{{#name}}...{{/name}}` sections kept when the value is truthy.
 */
export const ServerRecipe = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("command"),
      command: z.string().min(1).describe("shell command template, run in its own process group"),
      env: z
        .record(z.string(), z.string())
        .optional()
        .describe("environment; values are templates"),
      port: z
        .number()
        .int()
        .positive()
        .optional()
        .describe("port the server listens on; default 8000"),
      vars: TemplateValues.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("docker"),
      image: z.string().min(1).optional().describe("default: the spec's image"),
      args: z.string().default("").describe("extra `docker run` arguments (template)"),
      command: z.string().min(1).describe("command inside the container (template)"),
      env: z.record(z.string(), z.string()).optional(),
      port: z.number().int().positive().optional(),
      vars: TemplateValues.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("simulator"),
      speed: z
        .number()
        .positive()
        .default(1)
        .describe("simulated time runs this many times faster than the wall clock"),
      port: z.number().int().positive().optional().describe("default: a free port"),
      options: z
        .record(z.string(), z.unknown())
        .optional()
        .describe("extra simulator options (engine limits, efficiency factors)"),
    })
    .strict(),
  z
    .object({ kind: z.literal("external"), baseUrl: z.string().url() })
    .strict()
    .describe("an endpoint that is already running"),
]);
export type ServerRecipe = z.infer<typeof ServerRecipe>;

export const Readiness = z
  .object({
    path: z.string().default("/health"),
    modelsPath: z.string().default("/v1/models"),
    timeoutS: seconds().default(1800),
    intervalS: seconds().default(2),
  })
  .strict();
