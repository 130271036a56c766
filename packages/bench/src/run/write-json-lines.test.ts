import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeJsonLines } from "./write-json-lines.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infermark-jsonl-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeJsonLines", () => {
  it("writes one JSON document a line, many more than one write buffer holds", async () => {
    const docs = Array.from({ length: 20_000 }, (_, i) => ({
      index: i,
      text: "é中😀".repeat(i % 50),
    }));
    const path = join(dir, "requests.jsonl");
    await writeJsonLines(path, docs);
    const lines = (await readFile(path, "utf8")).split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((l) => JSON.parse(l))).toEqual(docs);
    expect(await readdir(dir)).toEqual(["requests.jsonl"]); // the temporary file is gone
  });

  it("leaves the old file whole, and no temporary file, when a document cannot be written", async () => {
    const path = join(dir, "kept.jsonl");
    await writeJsonLines(path, [{ a: 1 }]);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(writeJsonLines(path, [{ a: 2 }, cyclic])).rejects.toThrow(/circular/i);
    expect(await readFile(path, "utf8")).toBe('{"a":1}\n');
    expect((await readdir(dir)).filter((f) => f.startsWith("kept"))).toEqual(["kept.jsonl"]);
  });

  it("two writers of one path at once: the file is one of them whole, no temporary file left", async () => {
    const path = join(dir, "twice.jsonl");
    const a = Array.from({ length: 5000 }, (_, i) => ({ writer: "a", i, pad: "x".repeat(50) }));
    const b = Array.from({ length: 5000 }, (_, i) => ({ writer: "b", i, pad: "y".repeat(50) }));
    await Promise.all([writeJsonLines(path, a), writeJsonLines(path, b)]);
    const lines = (await readFile(path, "utf8")).trim().split("\n");
    expect([a, b]).toContainEqual(lines.map((l) => JSON.parse(l)));
    expect((await readdir(dir)).filter((f) => f.startsWith("twice"))).toEqual(["twice.jsonl"]);
  });

  it("leaves no temporary file when the file cannot take its place (a folder is there)", async () => {
    const path = join(dir, "taken.jsonl");
    await mkdir(join(path, "inside"), { recursive: true });
    await expect(writeJsonLines(path, [{ a: 1 }])).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect((await readdir(dir)).filter((f) => f.startsWith("taken"))).toEqual(["taken.jsonl"]);
  });

  it("fails with the file system's error when the folder does not exist", async () => {
    await expect(writeJsonLines(join(dir, "absent", "x.jsonl"), [{ a: 1 }])).rejects.toThrow(
      /ENOENT/,
    );
  });
});
