import { describe, expect, it } from "vitest";
import { findStop } from "./stop-strings.js";

describe("findStop", () => {
  it("takes the first stop string in the list's order among those a token completes, as vLLM does", () => {
    expect(findStop([" abc"], ["c", "a"], 0, false)).toEqual({ tokens: 1, text: " ab", stop: "c" });
    expect(findStop([" abc"], ["c", "a"], 0, true)).toEqual({ tokens: 1, text: " abc", stop: "c" });
  });

  it("finds a stop string across tokens, not one that ended before min_tokens, and none that is absent", () => {
    expect(findStop([" ab", " cd"], ["b c"], 0, false)).toEqual({
      tokens: 2,
      text: " a",
      stop: "b c",
    });
    expect(findStop([" ab", " ab", " cd"], ["b"], 1, false)).toEqual({
      tokens: 2,
      text: " ab a",
      stop: "b",
    });
    expect(findStop([" ab", " cd"], ["b"], 1, false)).toBeUndefined();
    expect(findStop([" ab"], [], 0, false)).toBeUndefined();
  });
});
