import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isScratchDir, makeScratchDir, removeScratchDir } from "./scratch-dir.js";

describe("a server's scratch folder", () => {
  it("is new and empty at each start, in the temporary folder, and removed with what it holds", async () => {
    const a = await makeScratchDir("dsr1-b200-trt-fp8-tp8-1k1k");
    const b = await makeScratchDir("dsr1-b200-trt-fp8-tp8-1k1k");
    try {
      expect(a).not.toBe(b);
      expect(a.startsWith(join(tmpdir(), "infermark-dsr1-b200-trt-fp8-tp8-1k1k-"))).toBe(true);
      expect([isScratchDir(a), await readdir(a)]).toEqual([true, []]);
      await writeFile(join(a, "options.yml"), "x: 1\n");
      await removeScratchDir(a);
      await expect(stat(a)).rejects.toThrow(/ENOENT/);
      expect((await stat(b)).isDirectory()).toBe(true);
    } finally {
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });

  it("is never taken for another path a server.state might name (edited by hand, or another machine's)", async () => {
    for (const path of [
      "/",
      tmpdir(),
      join(tmpdir(), "infermark-"),
      join(tmpdir(), "other-x"),
      join(tmpdir(), "infermark-x", "nested"),
      "infermark-x-abc",
      join("/home", "infermark-x-abc"),
      42,
    ])
      expect([path, isScratchDir(path)]).toEqual([path, false]);
    const notOurs = await mkdtemp(join(tmpdir(), "not-infermark-"));
    try {
      await removeScratchDir(notOurs);
      expect((await stat(notOurs)).isDirectory()).toBe(true);
    } finally {
      await rm(notOurs, { recursive: true, force: true });
    }
  });
});
