import { createHash } from "node:crypto";
import { WorkloadFileError } from "../errors.js";
import { fileLines } from "./dataset-stream.js";
import type { ChatMessage } from "./types.js";

/** One request of a trace, as its line gave it. */
export interface TraceRecord {
  /** 1-based line in the file. */
  line: number;
  /** Arrival (ms); absent: right after the record before it. */
  timestamp?: number;
  /** Output tokens asked for. */
  outputLength: number;
  /** Mooncake form: prompt length in tokens, and the hash id of each block of it. */
  inputLength?: number;
  hashIds?: number[];
  /** Text form: the prompt itself. */
  prompt?: string;
  messages?: ChatMessage[];
}

/** A parsed trace file. */
export interface TraceFile {
  path: string;
  /** sha256 of the file's bytes (hex). */
  sha256: string;
  records: TraceRecord[];
}

const ROLES = new Set(["system", "user", "assistant"]);

/**
 * Reads a trace: JSONL of Mooncake records (`{"timestamp": ms, "input_length": n, "output_length": n,
 * "hash_ids": [...]}`; timestamp and hash_ids optional) or text records (`{"timestamp", "prompt" | "messages",
 * "max_tokens"}`). A bad line throws a WorkloadFileError naming the file, the line and the field, so nothing is
 * sent. Hash ids must not cover more blocks than `input_length` fills (a sign of the wrong block size).
 * @example const { records } = await readTraceFile("trace.jsonl", 512);
 */
export async function readTraceFile(path: string, blockSize: number): Promise<TraceFile> {
  const hash = createHash("sha256");
  const records: TraceRecord[] = [];
  let last: TraceRecord | undefined;
  for await (const { line, text: raw } of fileLines(path, hash)) {
    const text = raw.trim();
    if (text === "") continue;
    const record = parseRecord(text, line, path, blockSize);
    const before = last?.timestamp;
    if (record.timestamp !== undefined && before !== undefined && record.timestamp < before)
      throw lineError(
        path,
        line,
        `"timestamp" ${record.timestamp} is before the previous record's ${before} (sort the trace by timestamp)`,
      );
    if (record.timestamp !== undefined) last = record;
    records.push(record);
  }
  if (records.length === 0) throw new WorkloadFileError(path, "holds no trace record");
  return { path, sha256: hash.digest("hex"), records };
}

function lineError(path: string, line: number, reason: string): WorkloadFileError {
  return new WorkloadFileError(`${path}:${line}`, reason);
}

function parseRecord(text: string, line: number, path: string, blockSize: number): TraceRecord {
  const fail = (reason: string) => lineError(path, line, reason);
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    throw fail("is not JSON (one trace record per line)");
  }
  if (typeof entry !== "object" || entry === null || Array.isArray(entry))
    throw fail("is not a JSON object");
  const e = entry as Record<string, unknown>;
  for (const field of ["session_id", "delay"])
    if (e[field] !== undefined)
      throw fail(`"${field}": multi-turn trace records are not supported; give one request a line`);
  const count = (field: string, min: number): number | undefined => {
    const v = e[field];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min)
      throw fail(`"${field}" must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    return v;
  };
  const record: TraceRecord = { line, outputLength: 0 };
  if (e.timestamp !== undefined) {
    if (typeof e.timestamp !== "number" || !Number.isFinite(e.timestamp) || e.timestamp < 0)
      throw fail(`"timestamp" must be milliseconds >= 0, got ${JSON.stringify(e.timestamp)}`);
    record.timestamp = e.timestamp;
  }
  const textForm = e.prompt !== undefined || e.messages !== undefined;
  if (textForm) {
    if (e.input_length !== undefined || e.hash_ids !== undefined)
      throw fail('give either "prompt"/"messages" or "input_length"/"hash_ids", not both');
    if (e.prompt !== undefined) {
      if (typeof e.prompt !== "string" || e.prompt.trim() === "")
        throw fail('"prompt" must be a non-empty string');
      record.prompt = e.prompt;
    } else record.messages = parseMessages(e.messages, fail);
    if (e.max_tokens !== undefined && e.output_length !== undefined)
      throw fail('give one of "max_tokens" and "output_length"');
    const out = count("max_tokens", 1) ?? count("output_length", 1);
    if (out === undefined) throw fail('"max_tokens" (a positive integer) is missing');
    record.outputLength = out;
    return record;
  }
  const input = count("input_length", 1);
  if (input === undefined)
    throw fail('"input_length" (a positive integer) is missing (or give "prompt" or "messages")');
  const out = count("output_length", 1);
  if (out === undefined) throw fail('"output_length" (a positive integer) is missing');
  record.inputLength = input;
  record.outputLength = out;
  if (e.hash_ids !== undefined) {
    const ids = e.hash_ids;
    if (!Array.isArray(ids) || ids.some((h) => !Number.isSafeInteger(h) || (h as number) < 0))
      throw fail('"hash_ids" must be an array of integers >= 0');
    const blocks = Math.ceil(input / blockSize);
    if (ids.length > blocks)
      throw fail(
        `"hash_ids" has ${ids.length} blocks, but "input_length" ${input} fills ${blocks} of ${blockSize} tokens (is --trace-block-size right?)`,
      );
    record.hashIds = ids as number[];
  }
  return record;
}

function parseMessages(value: unknown, fail: (reason: string) => Error): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0)
    throw fail('"messages" must be a non-empty array of {role, content}');
  return value.map((m, k) => {
    const { role, content } = (m ?? {}) as { role?: unknown; content?: unknown };
    if (typeof role !== "string" || !ROLES.has(role) || typeof content !== "string")
      throw fail(`"messages"[${k}] must be {role: system|user|assistant, content: string}`);
    return { role: role as ChatMessage["role"], content };
  });
}
