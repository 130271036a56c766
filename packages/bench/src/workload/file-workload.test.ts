import { describe, expect, it } from "vitest";
import { WorkloadFileError } from "../errors.js";
import { builtinTokenizer } from "../tokenizer/builtin-tokenizer.js";
import { fileWorkload } from "./file-workload.js";

const dir = new URL("../../test/fixtures/workloads/", import.meta.url).pathname;
const tokenizer = builtinTokenizer();

describe("fileWorkload", () => {
  it("reads ShareGPT: first human turn as prompt, the reply's length as max_tokens, short entries skipped", async () => {
    const w = await fileWorkload({ path: `${dir}sharegpt.json`, format: "sharegpt", tokenizer });
    expect(await w.next()).toEqual({
      prompt: "baba beke bibi bobo bubu",
      promptTokens: 5,
      maxTokens: 6,
    });
    expect(await w.next()).toEqual({
      prompt: "fafa fefe fifi fofo fufu gaga gege",
      promptTokens: 7,
      maxTokens: 4,
    });
    expect((await w.next())?.prompt).toBe("baba beke bibi bobo bubu"); // reused in order
    expect(w.info).toEqual({ kind: "sharegpt", isl: 6, osl: 5, dataset: `${dir}sharegpt.json` });
  });

  it("reads JSONL prompts and chat messages; --osl overrides max_tokens", async () => {
    const w = await fileWorkload({ path: `${dir}requests.jsonl`, format: "jsonl", tokenizer });
    expect(await w.next()).toEqual({ prompt: "baba beke bibi", promptTokens: 3, maxTokens: 16 });
    expect(await w.next()).toEqual({
      messages: [
        { role: "system", content: "kaka keke" },
        { role: "user", content: "lala lele lili" },
      ],
      promptTokens: 5,
      maxTokens: 32,
    });
    const fixed = await fileWorkload({
      path: `${dir}requests.jsonl`,
      format: "jsonl",
      tokenizer,
      osl: 7,
    });
    expect((await fixed.next())?.maxTokens).toBe(7);
  });

  it("names the file and the line of a bad entry", async () => {
    await expect(
      fileWorkload({ path: `${dir}sharegpt.json`, format: "jsonl", tokenizer }),
    ).rejects.toThrow(WorkloadFileError);
    await expect(
      fileWorkload({ path: `${dir}nope.jsonl`, format: "jsonl", tokenizer }),
    ).rejects.toThrow(/nope\.jsonl: cannot read/);
  });
});
