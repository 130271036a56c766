import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCalibration } from "./sim-options.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infermark-calibration-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

describe("readCalibration", () => {
  it("reads the factors of a file written by sim calibrate", async () => {
    const path = await file("ok.yaml", "comment: x\nfactors:\n  b200/trt:\n    memory: 0.7\n");
    expect(readCalibration(path)).toEqual({ "b200/trt": { memory: 0.7 } });
  });

  it("names the file and says what is wrong in one line", async () => {
    const malformed = await file("bad.yaml", "factors: [\n");
    expect(() => readCalibration(malformed)).toThrow(
      `${malformed}: malformed YAML at line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ] (BAD_INDENT)`,
    );
    const point = await file("point.json", '{"schema": "infermark.point/v1"}');
    expect(() => readCalibration(point)).toThrow(
      `${point}: not a calibration file: no \`factors\` mapping of hardware/framework to factors (write one with \`infermark sim calibrate -o\`)`,
    );
    const missing = join(dir, "missing.yaml");
    expect(() => readCalibration(missing)).toThrow(`${missing}: cannot read the calibration file`);
  });
});
