import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeFolder } from "./make-folder.js";

describe("makeFolder", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "infermark-make-folder-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("makes the missing folders of a path, and takes one that is there", async () => {
    const deep = join(dir, "a", "b", "c");
    expect(await makeFolder(deep)).toBeUndefined();
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(await makeFolder(deep)).toBeUndefined();
  });

  it("says why it cannot: the path or a part of it is a file", async () => {
    const file = join(dir, "f");
    await writeFile(file, "x");
    expect(await makeFolder(file)).toBe("is a file, not a folder");
    expect(await makeFolder(join(file, "sub", "deeper"))).toBe("a part of the path is a file");
  });

  it.runIf(existsSync("/proc/self"))(
    "returns for a folder that refuses new entries with ENOENT (/proc), where mkdir -p spun forever",
    async () => {
      expect(await makeFolder("/proc/infermark-x/y")).toBe("cannot create a folder in /proc");
      expect(existsSync("/proc/infermark-x")).toBe(false);
    },
  );
});
