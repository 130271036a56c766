import { describe, expect, it } from "vitest";
import { exportNote } from "./export-note.js";

describe("exportNote", () => {
  it("draws the note under `top`, wrapped to the image's width, with room for every line", () => {
    const note =
      "GPU prices, neocloud tier ($/GPU-h): h200 1.74 from InferenceX-app, citing SemiAnalysis (2026-04)";
    // 97 characters at 6.5 px: 631 px, one line in 976 px, two in 376 px
    const wide = exportNote(note, 1000, 600, "#555");
    expect(wide.height).toBe(15 + 12);
    expect(wide.elements).toEqual([
      {
        type: "text",
        x: 12,
        y: 606,
        style: {
          text: note,
          fill: "#555",
          fontSize: 11,
          lineHeight: 15,
          width: 976,
          overflow: "break",
        },
        silent: true,
      },
    ]);
    expect(exportNote(note, 400, 600, "#555").height).toBe(2 * 15 + 12);
  });

  it("takes no room without a note", () => {
    expect(exportNote(undefined, 1000, 600, "#555")).toEqual({ elements: [], height: 0 });
  });
});
