import { BENCH_OPTION_KEYS, BenchOptionError, resolveBenchOptions } from "@infermark/bench";
import { formatPath, PlanError, type SweepPlan } from "@infermark/core";
import type { z } from "zod";
import { benchOptionsFor } from "./measure-point.js";
import { SET_BY_THE_SWEEP, SPEC_BENCH_KEYS, SpecBenchOptions } from "./spec-bench-options.js";
import { checkSpecCredentials } from "./spec-credentials.js";

/** Flags whose key is not their name in camel case: `--header` (repeatable) sets `headers`. */
const KEY_OF_FLAG: Record<string, string> = { header: "headers" };

/** `--api expects ...` → `bench.api expects ...`: the load generator names its flags, a spec names its keys. */
export function asSpecKeys(message: string): string {
  const camel = (flag: string) =>
    KEY_OF_FLAG[flag] ?? flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const renamed = message.replace(/--([a-z][a-z-]*)/g, (flag, name: string) =>
    (BENCH_OPTION_KEYS as readonly string[]).includes(camel(name)) ? `bench.${camel(name)}` : flag,
  );
  const key = /^(\w+):/.exec(renamed)?.[1];
  if (renamed.startsWith("bench.")) return renamed;
  return key && (BENCH_OPTION_KEYS as readonly string[]).includes(key)
    ? `bench.${renamed}`
    : `bench: ${renamed}`;
}

const A_TYPE: Record<string, string> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
};

/** `got "no"`: a value as the spec wrote it, cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** One line naming the `bench` key that has the wrong type, the type it expects, and what it got. */
function describeIssue(issue: z.core.$ZodIssue, bench: Record<string, unknown>): string {
  const key = `bench.${formatPath(issue.path)}`;
  if (issue.code === "unrecognized_keys")
    return `${key}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}; ${issue.message}`;
  const value = issue.path.reduce<unknown>(
    (v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k],
    bench,
  );
  const expected =
    issue.code === "invalid_type" ? (A_TYPE[issue.expected] ?? issue.expected) : issue.message;
  return `${key} expects ${expected}, got ${shown(value)}`;
}

/**
 * Checks a spec's `bench` block at plan time, so a typo fails before any server starts instead of failing every
 * point: a credential written in the spec (`checkSpecCredentials`: an `apiKey`, a credential header's value, a user
 * and password in an external server's URL), unknown keys (listed with the known ones), keys the sweep sets itself,
 * values of the wrong type (each key has the type the load generator's BenchOptions gives it), and values the load
 * generator refuses (its own checks).
 * @example checkBenchOptions(planSweep(spec)) // throws PlanError("bench.api expects completions or chat, got \"chatt\"")
 */
export function checkBenchOptions(plan: SweepPlan): void {
  // first: a credential in the spec is refused as such, never as an unknown key or a value of the wrong type (shown)
  checkSpecCredentials(plan.spec);
  const bench = plan.spec.bench;
  if (!bench) return;
  const keys = Object.keys(bench);
  const owned = keys.filter((k): k is keyof typeof SET_BY_THE_SWEEP => k in SET_BY_THE_SWEEP);
  if (owned.length > 0) {
    const from = owned.map((k) => `${k} from ${SET_BY_THE_SWEEP[k]}`);
    throw new PlanError(
      `bench: the sweep sets ${from.join(", ")}; remove ${owned.length > 1 ? "them" : "it"} from bench`,
    );
  }
  const unknown = keys.filter((k) => !(SPEC_BENCH_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new PlanError(
      `bench: unknown option${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}; known: ${SPEC_BENCH_KEYS.join(", ")}`,
    );
  }
  const typed = SpecBenchOptions.safeParse(bench);
  if (!typed.success) throw new PlanError(describeIssue(typed.error.issues[0]!, bench));
  const baseUrl =
    plan.spec.server.kind === "external" ? plan.spec.server.baseUrl : "http://127.0.0.1:8000";
  const model = plan.spec.modelId ?? plan.spec.model;
  // one point per server: what the load generator checks depends on the scenario, not on the level
  for (const server of plan.servers) {
    const point = server.points[0]!;
    try {
      resolveBenchOptions(
        benchOptionsFor({
          spec: plan.spec,
          server,
          point,
          baseUrl,
          ready: { models: [model], modelsBody: undefined },
        }),
      );
    } catch (error) {
      if (!(error instanceof BenchOptionError)) throw error;
      throw new PlanError(asSpecKeys(error.message), { cause: error });
    }
  }
}
