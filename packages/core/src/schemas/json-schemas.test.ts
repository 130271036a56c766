import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generateJsonSchemas, JSON_SCHEMA_FILES } from "./json-schemas.js";

const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../schemas");

describe("published JSON Schemas", () => {
  it.each(Object.keys(JSON_SCHEMA_FILES))(
    "%s matches the zod schema (run `npm run schemas` after a change)",
    (file) => {
      const committed = readFileSync(join(SCHEMA_DIR, file), "utf8");
      expect(committed).toBe(generateJsonSchemas()[file]);
    },
  );

  it("describe the point contract's required fields", () => {
    const schema = JSON.parse(generateJsonSchemas()["point-result.schema.json"]!);
    expect(schema.required).toEqual(["schema", "run", "config", "validity"]);
    expect(schema.properties.schema.const).toBe("infermark.point/v1");
  });
});
