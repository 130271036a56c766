import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGpu, loadModel } from "../src/index.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infermark-load-model-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadModel and loadGpu on a malformed JSON file", () => {
  it("say where the file breaks (position, line, column) and quote none of its text", async () => {
    // V8's message quoted the text around the fault: `Unexpected token 's', ..."hf_token": sk-live-123... is not valid JSON`
    const path = join(dir, "config.json");
    await writeFile(path, '{\n  "vocab_size": 129280,\n  "hf_token": sk-live-1234567890\n}\n');
    const message = () => {
      try {
        loadModel(path);
      } catch (error) {
        return (error as Error).message;
      }
      return "loaded";
    };
    expect(message()).toBe(
      `${path}: malformed JSON (Unexpected token in JSON at position 40; line 3, column 15)`,
    );
    const gpu = join(dir, "gpu.json");
    await writeFile(gpu, '{"hbmGb": 96, "key": secret-abc}');
    expect(() => loadGpu(gpu)).toThrow(
      `${gpu}: malformed JSON (Unexpected token in JSON at position 21; line 1, column 22)`,
    );
  });

  it("keeps V8's words where they quote nothing, with the line and column added", async () => {
    const path = join(dir, "broken.json");
    await writeFile(path, "{not json");
    expect(() => loadModel(path)).toThrow(
      `${path}: malformed JSON (Expected property name or '}' in JSON at position 1; line 1, column 2)`,
    );
  });
});
