import { createHash, type Hash } from "node:crypto";
import { type FileHandle, open } from "node:fs/promises";
import { createInterface } from "node:readline";
import chain from "stream-chain";
import { parser } from "stream-json";
import { streamArray } from "stream-json/streamers/stream-array.js";
import { WorkloadFileError } from "../errors.js";

/*
 * Workload files are read as streams, never as one string: V8 caps a string at 2^29 - 24 characters (about
 * 512 MiB), and the ShareGPT file most benchmarks use (ShareGPT_V3_unfiltered_cleaned_split.json) is over 600 MB,
 * so reading it whole failed with "Invalid string length". Streaming also keeps only what a workload keeps of
 * each entry in memory, not the file's text besides.
 */

/**
 * The elements of a file holding one JSON array, one at a time. `what` names the expected format in the errors:
 * a file that cannot be opened or read, one that is not JSON, and one whose top level is not an array each give
 * one WorkloadFileError naming the path.
 * @example for await (const entry of jsonArrayEntries("sharegpt.json", "ShareGPT format")) count++;
 */
export async function* jsonArrayEntries(path: string, what: string): AsyncGenerator<unknown> {
  const file = await openWorkloadFile(path);
  try {
    const elements = chain([file.createReadStream({ autoClose: false }), parser(), streamArray()]);
    for await (const { value } of elements as AsyncIterable<{ value: unknown }>) yield value;
  } catch (error) {
    throw readError(path, error, () =>
      /top-level object should be an array/i.test((error as Error).message)
        ? `${what} must be a JSON array`
        : `is not JSON (${what} is a JSON array)`,
    );
  } finally {
    await file.close().catch(() => {});
  }
}

/**
 * The lines of a text file with their 1-based numbers (`\n` or `\r\n` ends a line), and, when `hash` is given, every
 * byte of the file fed to it as it is read. A file that cannot be opened or read gives one WorkloadFileError.
 * @example for await (const { line, text } of fileLines("requests.jsonl")) parse(text, line);
 */
export async function* fileLines(
  path: string,
  hash?: Hash,
): AsyncGenerator<{ line: number; text: string }> {
  const file = await openWorkloadFile(path);
  try {
    const input = file.createReadStream({ autoClose: false });
    if (hash !== undefined) input.on("data", (chunk) => hash.update(chunk));
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    // readline does not pass a read error on to its iterator; the stream's error ends the loop with it
    const failed = new Promise<never>((_, reject) => input.once("error", reject));
    failed.catch(() => {});
    let line = 0;
    const iterator = lines[Symbol.asyncIterator]();
    for (;;) {
      const next = await Promise.race([iterator.next(), failed]);
      if (next.done) break;
      line++;
      yield { line, text: next.value };
    }
  } catch (error) {
    throw readError(path, error);
  } finally {
    await file.close().catch(() => {});
  }
}

/**
 * The SHA-256 (hex) of a file's bytes, read as a stream.
 * @example const sha = await fileSha256("sharegpt.json");
 */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  const file = await openWorkloadFile(path);
  try {
    for await (const chunk of file.createReadStream({ autoClose: false })) hash.update(chunk);
  } catch (error) {
    throw readError(path, error);
  } finally {
    await file.close().catch(() => {});
  }
  return hash.digest("hex");
}

async function openWorkloadFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, "r");
  } catch (error) {
    throw readError(path, error);
  }
}

/**
 * One WorkloadFileError for a failure while reading: a system error (it has a `code`: missing file, a folder,
 * no permission) says it cannot be read; anything else gets `reason` (or passes on as it is without one).
 */
function readError(path: string, error: unknown, reason?: () => string): unknown {
  if (error instanceof WorkloadFileError) return error;
  if (typeof (error as { code?: unknown })?.code === "string")
    return new WorkloadFileError(path, `cannot read (${(error as Error).message})`, {
      cause: error,
    });
  return reason === undefined ? error : new WorkloadFileError(path, reason(), { cause: error });
}
