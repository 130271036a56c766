import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkloadFileError } from "../errors.js";
import { fileLines, fileSha256, jsonArrayEntries } from "./dataset-stream.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infermark-dataset-stream-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileOf(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

// entries with multi-byte characters (2, 3 and 4 bytes in UTF-8), over many of the reader's 64 KiB chunks, so that
// chunk boundaries fall inside characters, strings and entries
const entries = Array.from({ length: 3000 }, (_, i) => ({
  id: `c${i}`,
  conversations: [
    { from: "human", value: `question ${i} é中😀 ${"word ".repeat(i % 40)}"quoted" \\ back` },
    { from: "gpt", value: `answer ${i} ${"ü".repeat(i % 17)}` },
  ],
  n: i / 7,
}));

describe("jsonArrayEntries", () => {
  it("gives the elements of a JSON array as JSON.parse reads them, across read chunks", async () => {
    const text = JSON.stringify(entries, null, 1);
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * 65536);
    const path = await fileOf("sharegpt.json", text);
    expect(await all(jsonArrayEntries(path, "ShareGPT format"))).toEqual(JSON.parse(text));
  });

  it("stops reading and closes the file when the reader stops early", async () => {
    const path = await fileOf("early.json", JSON.stringify(entries));
    const first: unknown[] = [];
    for await (const entry of jsonArrayEntries(path, "ShareGPT format")) {
      first.push(entry);
      if (first.length === 2) break;
    }
    expect(first).toEqual(entries.slice(0, 2));
  });

  it("names the file and what is wrong: not JSON, not an array, unreadable", async () => {
    const read = (path: string) => all(jsonArrayEntries(path, "ShareGPT format"));
    const cut = await fileOf("cut.json", '[{"a": 1}, {"b": ');
    await expect(read(cut)).rejects.toThrow(WorkloadFileError);
    await expect(read(cut)).rejects.toThrow(
      `${cut}: is not JSON (ShareGPT format is a JSON array)`,
    );
    const object = await fileOf("object.json", '{"conversations": []}');
    await expect(read(object)).rejects.toThrow(`${object}: ShareGPT format must be a JSON array`);
    const empty = await fileOf("empty.json", "");
    await expect(read(empty)).rejects.toThrow(`${empty}: is not JSON`);
    await expect(read(join(dir, "absent.json"))).rejects.toThrow(
      `${join(dir, "absent.json")}: cannot read (ENOENT`,
    );
    const folder = join(dir, "folder.json");
    await mkdir(folder);
    await expect(read(folder)).rejects.toThrow(`${folder}: cannot read (EISDIR`);
  });
});

describe("fileLines", () => {
  it("gives each line with its number, \\n or \\r\\n, and hashes every byte", async () => {
    const long = "x".repeat(200_000); // a line over several read chunks
    const text = `first\r\n\nthird é中😀\n${long}\nlast`;
    const path = await fileOf("lines.jsonl", text);
    const hash = createHash("sha256");
    expect(await all(fileLines(path, hash))).toEqual([
      { line: 1, text: "first" },
      { line: 2, text: "" },
      { line: 3, text: "third é中😀" },
      { line: 4, text: long },
      { line: 5, text: "last" },
    ]);
    expect(hash.digest("hex")).toBe(createHash("sha256").update(text).digest("hex"));
  });

  it("names a file it cannot read", async () => {
    await expect(all(fileLines(join(dir, "absent.jsonl")))).rejects.toThrow(
      `${join(dir, "absent.jsonl")}: cannot read (ENOENT`,
    );
    const folder = join(dir, "lines-folder");
    await mkdir(folder);
    await expect(all(fileLines(folder))).rejects.toThrow(`${folder}: cannot read (EISDIR`);
  });
});

describe("fileSha256", () => {
  it("is the SHA-256 of the file's bytes", async () => {
    const text = JSON.stringify(entries);
    const path = await fileOf("hash.json", text);
    expect(await fileSha256(path)).toBe(createHash("sha256").update(text).digest("hex"));
    await expect(fileSha256(join(dir, "absent"))).rejects.toThrow(WorkloadFileError);
  });
});
