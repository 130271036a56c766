import { describe, expect, it } from "vitest";
import { GROUP_A, GROUP_B, makeItem } from "../../../test/helpers/make-point.js";
import { decodePointColumns, encodePointColumns, fromBase64, toBase64 } from "./point-columns.js";

describe("point columns (the dashboard's wire format)", () => {
  // slim points, as the server sends them: no counted output tokens (the helper's points carry them)
  const items = [...GROUP_A, ...GROUP_B].map((i) => {
    const { outputTokens: _counted, ...metrics } = i.point.metrics;
    return { ...i, point: { ...i.point, metrics } };
  });

  it("round-trips points exactly through JSON", () => {
    const wire = JSON.parse(JSON.stringify(encodePointColumns(items)));
    expect(decodePointColumns(wire)).toEqual(items);
  });

  it("sends each configuration, run and load level once", () => {
    const c = encodePointColumns(items);
    expect(c.count).toBe(6);
    expect(c.ids).toEqual(["a1", "a2", "a3", "a4", "b1", "b2"]);
    // two configurations (h200, b200); loads: concurrency 1, 2, 4, 8; one run, one validity; no energy
    expect(c.dicts.config).toHaveLength(2);
    expect(c.refs.config).toEqual([0, 0, 0, 0, 1, 1]);
    expect(c.dicts.load).toEqual([
      { mode: "concurrency", concurrency: 1 },
      { mode: "concurrency", concurrency: 2 },
      { mode: "concurrency", concurrency: 4 },
      { mode: "concurrency", concurrency: 8 },
    ]);
    expect(c.refs.load).toEqual([0, 1, 2, 3, 0, 1]);
    expect(c.dicts.run).toHaveLength(1);
    expect(c.refs.energy).toEqual([-1, -1, -1, -1, -1, -1]);
    // only the metrics some point has are sent: no p99, no TPOT here
    expect(Object.keys(c.metrics).sort()).toEqual([
      "completed",
      "e2el.median",
      "inputTputPerGpu",
      "intvty.median",
      "outputTputPerGpu",
      "tputPerGpu",
      "ttft.median",
    ]);
    const tput = fromBase64(c.metrics.tputPerGpu!);
    expect([...new Float64Array(tput.buffer)]).toEqual([1000, 800, 300, 200, 2000, 500]);
  });

  it("keeps a metric absent where a point lacks it, and keeps exact float64 values", () => {
    const odd = makeItem({ id: "x", concurrency: 3, intvty: 1 / 3, tput: Math.PI });
    const plain = makeItem({ id: "y", concurrency: 5, intvty: 7, tput: 9 });
    plain.point.metrics.ttft = undefined;
    const [a, b] = decodePointColumns(
      JSON.parse(JSON.stringify(encodePointColumns([odd, { ...plain }]))),
    );
    expect(a!.point.metrics.tputPerGpu).toBe(Math.PI);
    expect(a!.point.metrics.intvty?.median).toBe(1 / 3);
    expect(b!.point.metrics.ttft).toBeUndefined();
    expect(a!.point.metrics.ttft).toEqual({ median: 0.1 });
  });

  it("encodes base64 like the standard alphabet, with padding", () => {
    const g = globalThis as { Buffer?: unknown };
    const saved = g.Buffer;
    g.Buffer = undefined; // the browser path
    try {
      expect(toBase64(new TextEncoder().encode("infermark"))).toBe("aW5mZXJtYXJr");
      expect(toBase64(new Uint8Array([255, 1]))).toBe("/wE=");
      expect(toBase64(new Uint8Array([0]))).toBe("AA==");
    } finally {
      g.Buffer = saved;
    }
  });
});
