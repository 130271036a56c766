import { describe, expect, it } from "vitest";
import { loadErrorText } from "./load-error.js";

describe("loadErrorText", () => {
  it("a request without an answer (fetch's TypeError) names the server that is gone and what to do", () => {
    expect(loadErrorText(new TypeError("Failed to fetch"))).toBe(
      "The dashboard's server did not answer (Failed to fetch): is `infermark ui` still running? Start it again, then retry.",
    );
  });

  it("an answer with an error status says what the server said", () => {
    expect(
      loadErrorText(new Error("api/points?fields=columns&latest=false: 500 database is locked")),
    ).toBe(
      "The server could not give the points: api/points?fields=columns&latest=false: 500 database is locked",
    );
  });
});
