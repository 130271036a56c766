import { z } from "zod";
import { PointResult } from "./point-result.js";
import { RequestRecord } from "./request-record.js";
import { SweepSpec } from "./sweep-spec.js";

/** File name (under packages/core/schemas/) of each published JSON Schema. */
export const JSON_SCHEMA_FILES = {
  "point-result.schema.json": {
    schema: PointResult,
    title: "infermark PointResult (infermark.point/v1)",
  },
  "sweep-spec.schema.json": { schema: SweepSpec, title: "infermark SweepSpec" },
  "request-record.schema.json": { schema: RequestRecord, title: "infermark RequestRecord" },
} as const;

/**
 * Generates the JSON Schemas (draft 2020-12) of the contracts from their zod schemas, as file name to text.
 * The files in packages/core/schemas are written from this and a test fails if they drift.
 */
export function generateJsonSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, { schema, title }] of Object.entries(JSON_SCHEMA_FILES)) {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
    out[file] =
      `${JSON.stringify({ ...json, title, $id: `https://infermark.dev/schemas/${file}` }, null, 2)}\n`;
  }
  return out;
}
