import { isIsoDay, PointFilter, PointSource } from "@infermark/core";
import { z } from "zod";

const list = z
  .string()
  .transform((s) =>
    s
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v !== ""),
  )
  .pipe(z.array(z.string().min(1)).min(1, "expects at least one value"));
const int = z
  .string()
  .regex(/^\d+$/, "expects a non-negative integer")
  .transform(Number)
  .refine(Number.isSafeInteger, `expects an integer up to ${Number.MAX_SAFE_INTEGER}`);
// in any case, as the CLI's boolean flags take them (`latest=TRUE` is a hand-written link's, not a mistake)
const bool = z
  .string()
  .toLowerCase()
  .refine((v) => ["true", "false", "1", "0"].includes(v), "expects true, false, 1 or 0 (any case)")
  .transform((v) => v === "true" || v === "1");
const day = z.string().refine(isIsoDay, "expects a date YYYY-MM-DD");

/**
 * The query parameters of `GET /api/points`, `/api/groups` and `/api/dates`: the PointFilter fields (lists
 * comma-separated or repeated; booleans true, false, 1 or 0 in any case), plus `fields`: full points, slim points,
 * or slim points in the columnar form (`columns`, see PointColumns). Unknown parameters are refused.
 */
export const PointQuery = z
  .object({
    model: list.optional(),
    isl: int.optional(),
    osl: int.optional(),
    workload: list.optional(),
    hardware: list.optional(),
    framework: list.optional(),
    precision: list.optional(),
    spec: list.optional(),
    disaggregated: bool.optional(),
    image: list.optional(),
    version: list.optional(),
    source: list.pipe(z.array(PointSource)).optional(),
    dateFrom: day.optional(),
    dateTo: day.optional(),
    latest: bool.optional(),
    validOnly: bool.optional(),
    fields: z.enum(["full", "slim", "columns"]).optional(),
  })
  .strict();

/** A parsed points query: the store filter and the wanted shape of the points. */
export interface ParsedPointQuery {
  filter: PointFilter;
  fields: "full" | "slim" | "columns";
}

/** Why a query was refused. */
export type QueryParseResult =
  | { ok: true; value: ParsedPointQuery }
  | { ok: false; message: string };

/**
 * Validates URL query parameters against PointQuery. Repeated list parameters are joined (`?model=a&model=b`
 * equals `?model=a,b`); a repeated scalar is refused.
 * @example parsePointQuery(new URLSearchParams("isl=1024&hardware=h200,b200"))
 */
export function parsePointQuery(
  params: URLSearchParams,
  allowed?: readonly string[],
): QueryParseResult {
  // no prototype: a parameter named `toString` or `__proto__` is an unknown parameter, not an inherited member
  const raw: Record<string, string> = Object.create(null);
  const listKeys = new Set([
    "model",
    "workload",
    "hardware",
    "framework",
    "precision",
    "spec",
    "image",
    "version",
    "source",
  ]);
  for (const [key, value] of params) {
    if (allowed && !allowed.includes(key))
      return {
        ok: false,
        message: `unknown query parameter "${key}"; known: ${allowed.join(", ")}`,
      };
    if (key in raw) {
      if (!listKeys.has(key)) return { ok: false, message: `query parameter "${key}" given twice` };
      raw[key] = `${raw[key]},${value}`;
    } else raw[key] = value;
  }
  const parsed = PointQuery.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === "unrecognized_keys")
      return {
        ok: false,
        message: `unknown query parameter "${issue.keys[0]}"; known: ${Object.keys(PointQuery.shape).join(", ")}`,
      };
    const key = String(issue.path[0] ?? "");
    return {
      ok: false,
      message: `bad query parameter "${key}" (${raw[key] ?? ""}): ${issue.message}`,
    };
  }
  const { fields = "full", ...filter } = parsed.data;
  return { ok: true, value: { filter: PointFilter.parse(filter), fields } };
}
