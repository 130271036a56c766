import { describe, expect, it } from "vitest";
import {
  DEFAULT_STATE,
  decodeState,
  encodeState,
  narrowsConfigurations,
  opensFirstView,
  type ViewState,
} from "./view-state.js";

describe("view state in the URL", () => {
  it("encodes the default state as an empty string", () => {
    expect(encodeState({ ...DEFAULT_STATE })).toBe("");
  });

  it("encodes only what differs from the defaults, lists comma-separated", () => {
    const state: ViewState = {
      ...DEFAULT_STATE,
      view: "compare",
      y: "costPerMillionTotal",
      tier: "custom",
      price: 2.5,
      hardware: ["h200", "b200"],
      workload: "8192/1024",
      target: 75,
      yLog: true,
    };
    expect(encodeState(state)).toBe(
      "view=compare&y=costPerMillionTotal&tier=custom&price=2.5&yLog=true&workload=8192%2F1024&hardware=h200%2Cb200&target=75",
    );
  });

  it("round-trips every field", () => {
    const state: ViewState = {
      view: "trends",
      x: "ttft",
      y: "provisionedJPerToken",
      tier: "rental",
      price: 3,
      xLog: true,
      yLog: true,
      model: ["dsr1"],
      workload: "1024/1024",
      kind: ["session x4", "random"],
      hardware: ["mi355x"],
      framework: ["sglang", "trt"],
      precision: ["fp4"],
      spec: ["mtp"],
      disagg: "disagg",
      source: ["imported", "simulated"],
      validOnly: true,
      asOf: "2026-01-31",
      hidden: ["dsr1|1024|1024|random|b200|trt|fp4|mtp|disagg"],
      frontierOnly: true,
      lines: "best",
      target: 42.5,
      pair: ["a", "b"],
      table: true,
      run: "abc123",
      theme: "dark",
    };
    expect(decodeState(`#${encodeState(state)}`)).toEqual(state);
  });

  it('keeps "Valid points only" in the URL, off by default as the CLI\'s --valid-only', () => {
    expect(DEFAULT_STATE.validOnly).toBe(false);
    expect(encodeState({ ...DEFAULT_STATE, validOnly: true })).toBe("validOnly=true");
    expect(decodeState("#validOnly=true").validOnly).toBe(true);
    expect(decodeState("#validOnly=false").validOnly).toBe(false);
    // a value that does not fit is ignored: the default stays
    expect(decodeState("#validOnly=yes").validOnly).toBe(false);
  });

  it("reads the group keys of links made before the workload kind was a group dimension", () => {
    const old = [
      "dsr1|1024|1024|b200|trt|fp4|mtp|disagg",
      "dsr1|8192|1024|h200|sglang|fp8|none|agg",
    ];
    const s = decodeState(
      `#${new URLSearchParams({ hidden: old.join(","), pair: old.join(",") }).toString()}`,
    );
    const now = [
      "dsr1|1024|1024|random|b200|trt|fp4|mtp|disagg",
      "dsr1|8192|1024|random|h200|sglang|fp8|none|agg",
    ];
    expect(s.hidden).toEqual(now);
    expect(s.pair).toEqual(now);
    // today's keys, sessions' included, are read as they are
    const session = "dsr1|1024|1024|session x4|h200|sglang|fp8|none|agg";
    expect(decodeState(`#hidden=${encodeURIComponent(session)}`).hidden).toEqual([session]);
  });

  it("ignores unknown keys and values that do not fit, keeping the defaults", () => {
    const s = decodeState(
      "#view=nope&y=bogus&target=-3&xLog=maybe&source=imported,alien&extra=1&price=abc",
    );
    expect(s.view).toBe("frontier");
    expect(s.y).toBe("tputPerGpu");
    expect(s.target).toBe(50);
    expect(s.xLog).toBe(false);
    expect(s.source).toEqual(["imported"]);
    expect(s.price).toBe(2);
  });

  it("ignores an 'as of' day or an ISL/OSL that is not one (a hand-edited or cut link still opens)", () => {
    // the API refuses a bad dateTo: taken as it was, a cut link (`asOf=2026-02-3`) stopped the whole dashboard
    for (const asOf of ["garbage", "2026-02-3", "2026-02-30", "2026-13-01", "20260201"])
      expect(decodeState(`#asOf=${asOf}`).asOf).toBe("");
    expect(decodeState("#asOf=2026-02-28").asOf).toBe("2026-02-28");
    for (const workload of ["abc", "1024", "1024/", "1024/1k", "-1/2"])
      expect(decodeState(`#workload=${encodeURIComponent(workload)}`).workload).toBe("");
    expect(decodeState("#workload=8192%2F1024").workload).toBe("8192/1024");
    expect(decodeState("#workload=all").workload).toBe("all");
  });

  it("does not share lists with the defaults", () => {
    const s = decodeState("");
    s.hardware.push("h100");
    expect(DEFAULT_STATE.hardware).toEqual([]);
  });

  it("opens the first view (best per GPU) from a link that names no filter, only how the chart looks", () => {
    for (const hash of [
      "",
      "#",
      "#y=costPerMillionTotal&tier=neocloud",
      "#view=compare&target=75",
      "#x=e2el&xLog=true&theme=dark&extra=1",
    ])
      expect(opensFirstView(hash)).toBe(true);
    // a filter, an ISL/OSL, a hidden group, a date or the lines choice: the link means what it says
    for (const hash of [
      "#hardware=h200",
      "#workload=8192%2F1024",
      "#hidden=x",
      "#asOf=2026-02-28",
      "#lines=all",
      "#source=imported",
      "#frontierOnly=true",
      "#view=run&run=abc",
    ])
      expect(opensFirstView(hash)).toBe(false);
    expect(decodeState("#lines=best").lines).toBe("best");
    expect(decodeState("#lines=nope").lines).toBe("all");
    expect(encodeState({ ...DEFAULT_STATE, lines: "best" })).toBe("lines=best");
  });

  it("tells a state that narrows the configurations from one that shows them all", () => {
    expect(narrowsConfigurations({ ...DEFAULT_STATE, workload: "1024/1024", y: "jPerToken" })).toBe(
      false,
    );
    for (const patch of [
      { hardware: ["h200"] },
      { precision: ["fp8"] },
      { disagg: "agg" as const },
      { source: ["measured" as const] },
      { spec: ["mtp"] },
    ])
      expect(narrowsConfigurations({ ...DEFAULT_STATE, ...patch })).toBe(true);
  });
});
