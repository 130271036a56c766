import { isIsoDay } from "../schemas/iso-day.js";
import { PointFilter } from "../schemas/point-filter.js";
import { AnalysisError } from "./analysis-error.js";

const LIST_KEYS = {
  model: "model",
  hardware: "hardware",
  gpu: "hardware",
  framework: "framework",
  precision: "precision",
  spec: "spec",
  source: "source",
  workload: "workload",
  version: "version",
} as const;

const TRUE = ["true", "yes", "1", "disagg"];
const FALSE = ["false", "no", "0", "agg"];

/**
 * Parses a filter expression: comma-separated `key=value` pairs, alternatives joined by `|`.
 * Keys: model, isl, osl, hardware (or gpu), framework, precision, spec, disagg (true/false), source, workload
 * (random, sharegpt, jsonl, session, or a group's kind such as `session x4`), image (the server's container image,
 * case kept), version (the serving software's release: `0.11.0` matches `v0.11.0-cu129`, `0.11` every 0.11.x), from,
 * to.
 * @example parseFilterExpression("hardware=gb200,precision=fp4,spec=mtp")
 * // { hardware: ["gb200"], precision: ["fp4"], spec: ["mtp"] }
 */
export function parseFilterExpression(expression: string): PointFilter {
  const raw: Record<string, unknown> = {};
  for (const part of expression.split(",").map((s) => s.trim())) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0 || eq === part.length - 1)
      throw new AnalysisError(`filter "${expression}": "${part}" is not key=value`);
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (key in LIST_KEYS) {
      const field = LIST_KEYS[key as keyof typeof LIST_KEYS];
      const values = value.split("|").map((v) => v.trim().toLowerCase());
      raw[field] = [...((raw[field] as string[]) ?? []), ...values];
    } else if (key === "image") {
      // an image reference is matched as written: a tag's case is its own
      raw.image = [...((raw.image as string[]) ?? []), ...value.split("|").map((v) => v.trim())];
    } else if (key === "isl" || key === "osl") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0)
        throw new AnalysisError(
          `filter "${expression}": ${key} must be an integer, got "${value}"`,
        );
      raw[key] = n;
    } else if (key === "disagg") {
      const v = value.toLowerCase();
      if (!TRUE.includes(v) && !FALSE.includes(v))
        throw new AnalysisError(
          `filter "${expression}": disagg must be true or false, got "${value}"`,
        );
      raw.disaggregated = TRUE.includes(v);
    } else if (key === "from" || key === "to") {
      // compared with run days as text: only YYYY-MM-DD orders like a date
      if (!isIsoDay(value))
        throw new AnalysisError(
          `filter "${expression}": ${key} must be a day YYYY-MM-DD, got "${value}"`,
        );
      raw[key === "from" ? "dateFrom" : "dateTo"] = value;
    } else
      throw new AnalysisError(
        `filter "${expression}": unknown key "${key}"; known: ${[...Object.keys(LIST_KEYS), "image", "isl", "osl", "disagg", "from", "to"].join(", ")}`,
      );
  }
  const parsed = PointFilter.safeParse(raw);
  if (!parsed.success)
    throw new AnalysisError(
      `filter "${expression}": ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}
