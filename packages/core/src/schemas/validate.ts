import type { z } from "zod";
import { ValidationError, type ValidationIssue } from "../errors.js";
import { PointResult } from "./point-result.js";
import { RequestRecord } from "./request-record.js";
import { SweepSpec } from "./sweep-spec.js";

/** The contracts that `infermark validate` knows, by name. */
export const CONTRACTS = { PointResult, SweepSpec, RequestRecord } as const;
export type ContractName = keyof typeof CONTRACTS;

/** Turns zod issues into `{ path, message }` pairs with dotted paths (`config.topology.gpus`). */
export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
}

/** Formats a path as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export type CheckResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** Checks `data` against a schema and returns the parsed value or every issue. */
export function check<S extends z.ZodType>(schema: S, data: unknown): CheckResult<z.infer<S>> {
  const parsed = schema.safeParse(data);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: toValidationIssues(parsed.error) };
}

/**
 * Parses `data` with a schema, throwing a ValidationError that names `what`.
 * @example parseOrThrow(PointResult, json, "results/c8.json")
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  data: unknown,
  what: string,
): z.infer<S> {
  const result = check(schema, data);
  if (!result.ok) throw new ValidationError(what, result.issues);
  return result.value;
}

/** Guesses which contract a parsed document claims to be. */
export function detectContract(data: unknown): ContractName | undefined {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
  const record = data as Record<string, unknown>;
  if (record.schema === "infermark.point/v1") return "PointResult";
  if ("search" in record && "scenarios" in record) return "SweepSpec";
  if ("tSend" in record && "events" in record) return "RequestRecord";
  return undefined;
}
