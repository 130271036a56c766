import { describe, expect, it } from "vitest";
import { sloUnitWarning } from "./slo-warning.js";

describe("sloUnitWarning", () => {
  it("says nothing of SLOs that read as seconds", () => {
    expect(sloUnitWarning({ sloTtft: 60, sloTpot: 1, sloE2el: 600 })).toBeUndefined();
    expect(sloUnitWarning({})).toBeUndefined();
  });

  it("names each SLO that reads as milliseconds, with the seconds meant", () => {
    expect(sloUnitWarning({ sloTtft: 2, sloE2el: 20000 })).toBe(
      "infermark: warning: --slo-e2el 20000 is seconds (E2EL over 600 s is no service level): for milliseconds give --slo-e2el 20",
    );
  });
});
