import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { FileError } from "./errors.js";
import { yamlErrorReason } from "./yaml-error-reason.js";

/** Reads a JSON, JSONL or YAML file into a list of documents (one for JSON/YAML, one per line for JSONL). */
export async function readDocuments(path: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FileError(
      path,
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error),
      {
        cause: error,
      },
    );
  }
  return parseDocuments(path, text);
}

/** Parses file text by extension: .jsonl/.ndjson line by line, .yaml/.yml as YAML, anything else as JSON. */
export function parseDocuments(path: string, text: string): unknown[] {
  const ext = extname(path).toLowerCase();
  if (ext === ".jsonl" || ext === ".ndjson") {
    const docs: unknown[] = [];
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (!line) continue;
      try {
        docs.push(JSON.parse(line));
      } catch (error) {
        throw new FileError(path, `line ${i + 1}: malformed JSON (${(error as Error).message})`, {
          cause: error,
        });
      }
    }
    return docs;
  }
  if (ext === ".yaml" || ext === ".yml") {
    try {
      return [parseYaml(text)];
    } catch (error) {
      throw new FileError(path, yamlErrorReason(error, text), {
        cause: error,
      });
    }
  }
  try {
    return [JSON.parse(text)];
  } catch (error) {
    throw new FileError(path, `malformed JSON (${(error as Error).message})`, { cause: error });
  }
}

const DATA_EXTENSIONS = new Set([".json", ".jsonl", ".ndjson", ".yaml", ".yml"]);

/** Expands files and folders (recursively) into the data files they hold, sorted. */
export async function expandPaths(
  paths: readonly string[],
  extensions = DATA_EXTENSIONS,
): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (error) {
      throw new FileError(path, "no such file or folder", { cause: error });
    }
    if (info.isDirectory()) {
      const entries = await readdir(path, { withFileTypes: true });
      const children = entries
        .filter((e) => e.isDirectory() || extensions.has(extname(e.name).toLowerCase()))
        .map((e) => join(path, e.name))
        .sort();
      out.push(...(await expandPaths(children, extensions)));
    } else {
      out.push(path);
    }
  }
  return out;
}
