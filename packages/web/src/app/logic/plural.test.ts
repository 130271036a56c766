import { describe, expect, it } from "vitest";
import { have, plural } from "./plural.js";

describe("plural", () => {
  it("writes the noun plural unless the count is one", () => {
    expect([0, 1, 2, 60].map((n) => plural(n, "group"))).toEqual([
      "0 groups",
      "1 group",
      "2 groups",
      "60 groups",
    ]);
  });

  it("makes the verb agree with the count", () => {
    expect([0, 1, 2].map((n) => `${plural(n, "group")} ${have(n)}`)).toEqual([
      "0 groups have",
      "1 group has",
      "2 groups have",
    ]);
  });
});
