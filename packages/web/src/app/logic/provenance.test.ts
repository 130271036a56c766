import { describe, expect, it } from "vitest";
import { makeItem } from "../../../test/helpers/make-point.js";
import { provenance, withProvenance } from "./provenance.js";

const inferencex = (date: string) => {
  const item = makeItem({ id: date, date, concurrency: 4, intvty: 50, tput: 300 });
  item.point.run.importedFrom = "inferencex:api";
  return item;
};
const measured = makeItem({
  id: "m",
  source: "measured",
  date: "2026-11-20T09:30:00Z",
  concurrency: 4,
  intvty: 50,
  tput: 300,
});

describe("provenance", () => {
  it("names InferenceX's rows and your own, and the span of the days they ran", () => {
    const items = [inferencex("2026-02-11"), measured, inferencex("2025-12-08")];
    expect(provenance(items, "")).toBe("InferenceX, measured · runs 2025-12-08 to 2026-11-20");
    expect(provenance(items, "2026-12-01")).toBe(
      "InferenceX, measured · runs 2025-12-08 to 2026-11-20, as of 2026-12-01",
    );
    expect(provenance(items, "", { dates: false })).toBe("InferenceX, measured");
  });

  it("one day reads as one run; an import from elsewhere as imported; no points as nothing", () => {
    expect(provenance([measured], "")).toBe("measured · run 2026-11-20");
    const other = makeItem({ id: "o", concurrency: 4, intvty: 50, tput: 300 });
    expect(provenance([other], "")).toBe("imported · run 2025-06-01");
    expect(provenance([], "")).toBe("");
    expect(withProvenance("dsr1 · ISL/OSL 1024/1024", "measured · run 2026-11-20")).toBe(
      "dsr1 · ISL/OSL 1024/1024 · measured · run 2026-11-20",
    );
    expect(withProvenance("", "measured · run 2026-11-20")).toBe("measured · run 2026-11-20");
  });
});
