import { describe, expect, it } from "vitest";
import type { PointResult } from "../schemas/point-result.js";
import { softwareList, softwareOf } from "./software.js";

const withConfig = (config: Partial<PointResult["config"]>) =>
  ({ config }) as unknown as PointResult;

describe("softwareOf", () => {
  it("takes the engine's version, else the image's tag or digest", () => {
    expect(
      softwareOf(withConfig({ frameworkVersion: "0.11.0", image: "vllm/vllm-openai:v0.10.0" })),
    ).toBe("0.11.0");
    expect(softwareOf(withConfig({ image: "lmsysorg/sglang:v0.5.12-rocm700-mi35x" }))).toBe(
      "v0.5.12-rocm700-mi35x",
    );
    expect(softwareOf(withConfig({ image: "nvcr.io/nvidia/tensorrt-llm/release:1.2.0rc2" }))).toBe(
      "1.2.0rc2",
    );
    // a registry's port is not a tag
    expect(softwareOf(withConfig({ image: "registry:5000/team/engine" }))).toBeUndefined();
    expect(softwareOf(withConfig({ image: `vllm/vllm-openai@sha256:${"ab12".repeat(16)}` }))).toBe(
      "sha256:ab12ab12ab12",
    );
    expect(softwareOf(withConfig({}))).toBeUndefined();
    expect(softwareOf(withConfig({ frameworkVersion: " ", image: "" }))).toBeUndefined();
  });

  it("reads a digest after the '@' only: with a tag both, the release and its build; never a digest as a tag", () => {
    const image = (ref: string) => softwareOf(withConfig({ image: ref }));
    const hex = "ab12".repeat(16);
    expect(image(`vllm/vllm-openai:v0.11.0@sha256:${hex}`)).toBe("v0.11.0@sha256:ab12ab12ab12");
    expect(image(`localhost:5000/team/engine:2.1@sha256:${hex}`)).toBe("2.1@sha256:ab12ab12ab12");
    expect(image("localhost:5000/team/engine:2.1")).toBe("2.1");
    expect(image(`engine@sha512:${"cd".repeat(64)}`)).toBe("sha512:cdcdcdcdcdcd");
    expect(image("engine@sha256:abc")).toBe("sha256:abc");
    // an image id alone, and a tag of hex digits, which is a tag
    expect(image(`sha256:${"ef".repeat(32)}`)).toBe("sha256:efefefefefef");
    expect(image("engine:0123")).toBe("0123");
  });

  it("lists each software once, in the order first seen", () => {
    expect(
      softwareList([
        withConfig({ frameworkVersion: "b" }),
        withConfig({}),
        withConfig({ frameworkVersion: "a" }),
        withConfig({ frameworkVersion: "b" }),
      ]),
    ).toEqual(["b", "a"]);
  });
});
