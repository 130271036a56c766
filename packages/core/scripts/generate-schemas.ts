// Writes packages/core/schemas/*.schema.json from the zod contracts. Run: npm run schemas
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateJsonSchemas } from "../src/schemas/json-schemas.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "schemas");
for (const [file, text] of Object.entries(generateJsonSchemas())) {
  writeFileSync(join(dir, file), text);
  console.log(`wrote ${join("packages/core/schemas", file)}`);
}
