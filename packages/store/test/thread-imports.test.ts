import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The SQLite writer and checkpoint threads start inside the timed window of every large ingest. Loading
// @infermark/core (its zod schemas) into a thread took 0.3-0.5 s of its start on the development VM, so the
// modules a thread runs must not import it, or zod, at run time (type-only imports are erased).

const SQLITE = resolve(dirname(fileURLToPath(import.meta.url)), "../src/dialects/sqlite");

/** Module specifiers a TypeScript file imports at run time (`import type` and `import { type X }` left out). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+"([^"]+)";/gms)) {
    if (m[1]) continue;
    const names = m[2]!;
    // `import { type A, type B } from` brings nothing at run time either.
    const braces = /^\{([^}]*)\}$/.exec(names.trim());
    if (
      braces &&
      braces[1]!.split(",").every((n) => n.trim() === "" || n.trim().startsWith("type "))
    )
      continue;
    found.push(m[3]!);
  }
  for (const m of text.matchAll(/^import\s+"([^"]+)";/gm)) found.push(m[1]!);
  return found;
}

/** Every module reached at run time from `entry`: relative files by path, packages by name. */
function moduleGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe("the SQLite threads' modules", () => {
  for (const thread of ["ingest-worker.ts", "checkpoint-worker.ts"]) {
    it(`${thread} does not load @infermark/core or zod`, () => {
      const { files, packages } = moduleGraph(resolve(SQLITE, thread));
      expect([...packages].sort()).not.toContain("@infermark/core");
      expect([...packages].sort()).not.toContain("zod");
      // The walk did follow the thread's own imports (the writer reaches its SQL and column list).
      expect(files.size).toBeGreaterThan(1);
    });
  }

  it("the import scan sees what point-row.ts loads at run time", () => {
    // A check of the scanner itself: point-row.ts needs core for real.
    const { packages } = moduleGraph(resolve(SQLITE, "../../point-row.ts"));
    expect(packages).toContain("@infermark/core");
  });
});
