import { describe, expect, it } from "vitest";
import { frontierSpan, nothingDrawnText } from "./nothing-drawn.js";

describe("nothingDrawnText", () => {
  it("groups without the metric, or a target no frontier reaches: what they lack, and what to change", () => {
    const said = [
      nothingDrawnText(8, { kind: "metric", lacking: "J/token (measured or reported)" }),
      nothingDrawnText(
        60,
        { kind: "target", lacking: "value at 500 tok/s/user", span: [12.46, 310.2] },
        (v) => v.toFixed(1),
      ),
      nothingDrawnText(1, { kind: "target", lacking: "value at 30.0 tok/s/user on any date" }),
    ];
    expect(said.map((s) => [s.text, s.hint])).toEqual([
      [
        "The 8 groups the filters keep have no J/token (measured or reported).",
        "Choose another axis, or filters that keep groups with it.",
      ],
      [
        "The 60 groups the filters keep have no value at 500 tok/s/user: their frontiers span 12.5–310.2 tok/s/user.",
        "Move the target interactivity into that range, or choose other filters.",
      ],
      [
        "The 1 group the filters keep has no value at 30.0 tok/s/user on any date.",
        "Move the target interactivity, or choose other filters.",
      ],
    ]);
  });
});

describe("frontierSpan", () => {
  it("from the lowest start to the highest end of the frontiers there are", () => {
    expect(frontierSpan([[30, 80], undefined, [12.5, 40], [60, 310]])).toEqual([12.5, 310]);
    expect(frontierSpan([undefined])).toBeUndefined();
  });
});
