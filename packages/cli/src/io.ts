import { readFileSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { fileLines, WorkloadFileError } from "@infermark/bench";
import { jsonError, jsonErrorReason } from "@infermark/core";
import { storeLocation } from "@infermark/store";
import { parse as parseYaml } from "yaml";
import { FileError } from "./errors.js";
import { yamlErrorReason } from "./yaml-error-reason.js";

/**
 * Reads a JSON, JSONL or YAML file into a list of documents (one for JSON/YAML, one per line for JSONL). JSONL is
 * read line by line, so its size is not bounded by the longest string JavaScript holds (2^29 - 24 characters,
 * about 512 MiB: a run's `--save-requests` file passes it); a JSON or YAML document that large gets one line saying
 * to write it as JSONL.
 */
export async function readDocuments(path: string): Promise<unknown[]> {
  return (await readNumberedDocuments(path)).docs;
}

/**
 * `readDocuments`, with the line each document of a JSONL file is on (`lines`, absent for JSON and YAML), for
 * messages that name it.
 * @example const { docs, lines } = await readNumberedDocuments("run.jsonl"); // lines: [1, 3, 4]
 */
export async function readNumberedDocuments(
  path: string,
): Promise<{ docs: unknown[]; lines?: number[] }> {
  if (isJsonLines(path)) {
    const docs: unknown[] = [];
    const lines: number[] = [];
    for await (const { line, doc } of jsonLines(path)) {
      docs.push(doc);
      lines.push(line);
    }
    return { docs, lines };
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FileError(path, readErrorReason(error), { cause: error });
  }
  return { docs: parseDocuments(path, text) };
}

const isJsonLines = (path: string) => [".jsonl", ".ndjson"].includes(extname(path).toLowerCase());

/**
 * The documents of a JSONL file one at a time, with their 1-based lines (blank lines skipped), read as a stream; a
 * FileError naming the line for malformed JSON, or saying why the file cannot be read.
 * @example for await (const { line, doc } of jsonLines("requests.jsonl")) check(doc, line);
 */
export async function* jsonLines(path: string): AsyncGenerator<{ line: number; doc: unknown }> {
  try {
    for await (const { line, text } of fileLines(path)) {
      const doc = parseJsonLine(path, line === 1 ? withoutBom(text) : text, line);
      if (doc !== NO_DOCUMENT) yield { line, doc };
    }
  } catch (error) {
    if (!(error instanceof WorkloadFileError)) throw error;
    throw new FileError(path, readErrorReason(error.cause), { cause: error });
  }
}

const NO_DOCUMENT = Symbol("blank line");

/** One line of a JSONL file: its document, NO_DOCUMENT when blank, or a FileError naming the line. */
function parseJsonLine(path: string, text: string, number: number): unknown {
  const line = text.trim();
  if (!line) return NO_DOCUMENT;
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new FileError(path, `line ${number}: malformed JSON (${jsonError(error, line).what})`, {
      cause: error,
    });
  }
}

/** A text without the byte-order mark some editors (Windows') write first; it is not part of the document. */
const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * Whether an error is V8's cap on one string (2^29 - 24 characters, about 512 MiB): `Invalid string length`, or
 * Node's ERR_STRING_TOO_LONG when a file is read as text.
 */
export function isStringTooLong(error: unknown): boolean {
  return (
    (error as NodeJS.ErrnoException)?.code === "ERR_STRING_TOO_LONG" ||
    (error instanceof RangeError && error.message === "Invalid string length")
  );
}

/** Why a file could not be read, in words (`no such file`, `permission denied`, `is a folder`), else the error's code. */
function readErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (isStringTooLong(error))
    return "is larger than one document can be (about 512 MiB); write it as JSONL, one document per line";
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a folder";
  return code ? `cannot read (${code})` : String(error);
}

/**
 * Parses file text by extension: .jsonl/.ndjson line by line, .yaml/.yml as YAML, anything else as JSON; a leading
 * byte-order mark is dropped.
 */
export function parseDocuments(path: string, raw: string): unknown[] {
  const text = withoutBom(raw);
  const ext = extname(path).toLowerCase();
  if (isJsonLines(path)) {
    const docs: unknown[] = [];
    for (const [i, line] of text.split("\n").entries()) {
      const doc = parseJsonLine(path, line, i + 1);
      if (doc !== NO_DOCUMENT) docs.push(doc);
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

/**
 * Expands files and folders (recursively) into the data files they hold, sorted. A path given that does not exist
 * fails at once; an entry of a folder that cannot be followed (a link to nothing) is kept, so that reading it
 * reports that one file and the others beside it are still read.
 */
export async function expandPaths(
  paths: readonly string[],
  extensions = DATA_EXTENSIONS,
  inFolder = false,
): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (error) {
      if (inFolder) {
        out.push(path);
        continue;
      }
      // a store URL given where a file was expected is named without its password
      throw new FileError(storeLocation(path), "no such file or folder", { cause: error });
    }
    if (info.isDirectory()) {
      const entries = await readdir(path, { withFileTypes: true });
      const children = entries
        .filter((e) => e.isDirectory() || extensions.has(extname(e.name).toLowerCase()))
        .map((e) => join(path, e.name))
        .sort();
      out.push(...(await expandPaths(children, extensions, true)));
    } else {
      out.push(path);
    }
  }
  return out;
}

/**
 * Reads one file of settings, a catalog override or a calibration file: JSON where its name ends in `.json`, else
 * YAML (which JSON also is). One line naming the file when it cannot be read (`cannot read the <what>: no such
 * file`) or is malformed (`malformed JSON (...; line 2, column 13)`, `malformed YAML at line 2, column 1: ...`).
 * @example readYamlFile("calib.yaml", "calibration file").factors
 */
export function readYamlFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = withoutBom(readFileSync(path, "utf8"));
  } catch (error) {
    throw new FileError(path, `cannot read the ${what}: ${readErrorReason(error)}`, {
      cause: error,
    });
  }
  if (extname(path).toLowerCase() === ".json") {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new FileError(path, jsonErrorReason(error, text), { cause: error });
    }
  }
  try {
    return parseYaml(text);
  } catch (error) {
    throw new FileError(path, yamlErrorReason(error, text), { cause: error });
  }
}
