import { describe, expect, it } from "vitest";
import { hfConfigName } from "./hf-config-name.js";

describe("hfConfigName", () => {
  it("takes the config's _name_or_path, or name_or_path, when it is a Hugging Face id", () => {
    const path = "/data/snap/config.json";
    expect(hfConfigName(path, { _name_or_path: "deepseek-ai/DeepSeek-R1-0528" })).toBe(
      "deepseek-ai/DeepSeek-R1-0528",
    );
    expect(hfConfigName(path, { name_or_path: "gpt2" })).toBe("gpt2");
    expect(hfConfigName(path, { _name_or_path: "" })).toBe("snap");
  });

  it("takes the last folder of a _name_or_path that is a local path", () => {
    const path = "/x/config.json";
    expect(hfConfigName(path, { _name_or_path: "/scratch/ckpt/my-finetune/" })).toBe("my-finetune");
    expect(hfConfigName(path, { _name_or_path: "./out/llama-sft" })).toBe("llama-sft");
    expect(hfConfigName(path, { _name_or_path: "runs/7/llama-sft" })).toBe("llama-sft");
  });

  it("otherwise names the model after the folder of its config.json, or the hub cache's repository", () => {
    expect(hfConfigName("/models/Llama-3.1-8B/config.json", {})).toBe("Llama-3.1-8B");
    expect(
      hfConfigName(
        "/home/u/.cache/huggingface/hub/models--Qwen--Qwen3-30B-A3B/snapshots/ad44e777/config.json",
        {},
      ),
    ).toBe("Qwen/Qwen3-30B-A3B");
    // a file named for its model keeps that name
    expect(hfConfigName("/tmp/configs/llama3-8b.json", {})).toBe("llama3-8b");
  });
});
