import { describe, expect, it } from "vitest";
import { shownUrl } from "./shown-url.js";

describe("shownUrl", () => {
  it("shows a URL without its password, whether it parses or not", () => {
    expect(shownUrl("http://me:pw-1@gpu-1:9400/metrics")).toBe("http://me:***@gpu-1:9400/metrics");
    expect(shownUrl("http://gpu-1:9400/metrics")).toBe("http://gpu-1:9400/metrics");
    // a port out of range; a `/` in the password: all up to the last `@` may be the password
    expect(shownUrl("http://me:pw-1@gpu-1:99999")).toBe("http://***@gpu-1:99999");
    expect(shownUrl("http://me:pw/1@gpu-1:8000/v1")).toBe("http://***@gpu-1:8000/v1");
    expect(shownUrl("gpu-1:8000")).toBe("gpu-1:8000");
  });
});
