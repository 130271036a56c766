import { readFileSync } from "node:fs";
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
    throw new FileError(path, readErrorReason(error), { cause: error });
  }
  return parseDocuments(path, text);
}

/** Why a file could not be read, in words (`no such file`, `permission denied`, `is a folder`), else the error's code. */
function readErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a folder";
  return code ? `cannot read (${code})` : String(error);
}

/**
 * `malformed JSON (...)` with the line and column of the position V8's message names, when it names one
 * (`Expected ',' or '}' after property value in JSON at position 8` does; `Unexpected token` quotes the text instead).
 */
function jsonErrorReason(error: unknown, text: string): string {
  const message = (error as Error).message;
  const at = /at position (\d+)/.exec(message);
  if (!at) return `malformed JSON (${message})`;
  const before = text.slice(0, Number(at[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `malformed JSON (${message}; line ${line}, column ${column})`;
}

/**
 * Parses file text by extension: .jsonl/.ndjson line by line, .yaml/.yml as YAML, anything else as JSON; a leading
 * byte-order mark is dropped.
 */
export function parseDocuments(path: string, raw: string): unknown[] {
  // a byte-order mark (Windows editors write one) is not part of the document
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
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
    throw new FileError(path, jsonErrorReason(error, text), { cause: error });
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

/**
 * Reads one YAML (or JSON) file of settings, a catalog override or a calibration file: one line naming the file
 * when it cannot be read (`cannot read the <what>`) or is not YAML (the line and what is wrong).
 * @example readYamlFile("calib.yaml", "calibration file").factors
 */
export function readYamlFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new FileError(path, `cannot read the ${what}`, { cause: error });
  }
  try {
    return parseYaml(text);
  } catch (error) {
    throw new FileError(path, yamlErrorReason(error, text), { cause: error });
  }
}
