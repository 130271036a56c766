import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTraceFile } from "./trace-file.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infermark-trace-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function traceOf(lines: string[], blockSize = 4) {
  const path = join(dir, `t${Math.random().toString(36).slice(2)}.jsonl`);
  await writeFile(path, lines.join("\n"));
  return { path, read: () => readTraceFile(path, blockSize) };
}

describe("readTraceFile", () => {
  it("reads Mooncake records and text records, with the file's sha256", async () => {
    const lines = [
      '{"timestamp": 0, "input_length": 10, "output_length": 3, "hash_ids": [7, 8, 9]}',
      "",
      '{"input_length": 5, "output_length": 2}',
      '{"timestamp": 12.5, "prompt": "hello there", "max_tokens": 4, "extra": 1}',
      '{"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}], "output_length": 6}',
    ];
    const { path, read } = await traceOf(lines);
    const trace = await read();
    expect(trace.sha256).toBe(createHash("sha256").update(lines.join("\n")).digest("hex"));
    expect(trace.records).toEqual([
      { line: 1, timestamp: 0, inputLength: 10, outputLength: 3, hashIds: [7, 8, 9] },
      { line: 3, inputLength: 5, outputLength: 2 },
      { line: 4, timestamp: 12.5, prompt: "hello there", outputLength: 4 },
      {
        line: 5,
        messages: [
          { role: "system", content: "s" },
          { role: "user", content: "u" },
        ],
        outputLength: 6,
      },
    ]);
    expect(trace.path).toBe(path);
  });

  it.each([
    ["{nope", "line 2 of the file is not JSON", "is not JSON (one trace record per line)"],
    ['{"input_length": 4}', "output missing", '"output_length" (a positive integer) is missing'],
    [
      '{"input_length": 0, "output_length": 1}',
      "zero input",
      '"input_length" must be an integer >= 1, got 0',
    ],
    [
      '{"timestamp": -1, "input_length": 4, "output_length": 1}',
      "negative timestamp",
      '"timestamp" must be milliseconds >= 0, got -1',
    ],
    [
      '{"timestamp": 5, "input_length": 4, "output_length": 1}',
      "timestamp going back",
      '"timestamp" 5 is before the previous record\'s 10 (sort the trace by timestamp)',
    ],
    [
      '{"input_length": 4, "output_length": 1, "hash_ids": [1, "x"]}',
      "a hash id that is no integer",
      '"hash_ids" must be an array of integers >= 0',
    ],
    [
      '{"input_length": 5, "output_length": 1, "hash_ids": [1, 2, 3]}',
      "more hash ids than blocks",
      '"hash_ids" has 3 blocks, but "input_length" 5 fills 2 of 4 tokens (is --trace-block-size right?)',
    ],
    [
      '{"prompt": "hi", "input_length": 3, "max_tokens": 1}',
      "both forms",
      'give either "prompt"/"messages" or "input_length"/"hash_ids", not both',
    ],
    ['{"prompt": "hi"}', "text without max_tokens", '"max_tokens" (a positive integer) is missing'],
    [
      '{"messages": [{"role": "tool", "content": "x"}], "max_tokens": 1}',
      "an unknown role",
      '"messages"[0] must be {role: system|user|assistant, content: string}',
    ],
    [
      '{"session_id": "a", "input_length": 4, "output_length": 1}',
      "a multi-turn record",
      '"session_id": multi-turn trace records are not supported; give one request a line',
    ],
    ["[1, 2]", "an array", "is not a JSON object"],
  ])("refuses %s (%s) naming the file, line and field", async (bad, _why, reason) => {
    const { path, read } = await traceOf([
      '{"timestamp": 10, "input_length": 4, "output_length": 1}',
      bad,
    ]);
    await expect(read()).rejects.toThrow(`${path}:2: ${reason}`);
  });

  it("refuses an empty file and a missing one", async () => {
    const { path, read } = await traceOf(["", "  "]);
    await expect(read()).rejects.toThrow(`${path}: holds no trace record`);
    await expect(readTraceFile(join(dir, "absent.jsonl"), 512)).rejects.toThrow(
      `${join(dir, "absent.jsonl")}: cannot read`,
    );
  });
});
