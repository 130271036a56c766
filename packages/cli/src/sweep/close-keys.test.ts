import { describe, expect, it } from "vitest";
import { closeKeys } from "./close-keys.js";

const GPUS = ["h100", "h200", "b200", "b300", "gb200", "gb300", "mi300x", "mi325x", "mi355x"];

describe("closeKeys", () => {
  it("lists the known keys a typo is close to, closest first, at most three", () => {
    expect(closeKeys("h2000", GPUS)).toEqual(["h200", "h100", "b200"]);
    expect(closeKeys("mi355", GPUS)).toEqual(["mi355x", "mi325x"]);
    expect(closeKeys("H20O", GPUS)).toEqual(["h200", "h100", "b200"]);
    expect(closeKeys("gb3000", GPUS)).toEqual(["gb300", "b300", "gb200"]);
    expect(closeKeys("dsr-1", ["dsr1", "llama70b", "gptoss120b"])).toEqual(["dsr1"]);
  });

  it("counts two neighbours swapped as one edit, and finds nothing for a key unlike any", () => {
    // a key of three characters may be one edit away
    expect(closeKeys("gpt", ["pgt", "gpu", "tpg"])).toEqual(["pgt", "gpu"]);
    expect(closeKeys("rtx6000", GPUS)).toEqual([]);
    expect(closeKeys("a1", GPUS)).toEqual([]);
  });
});
