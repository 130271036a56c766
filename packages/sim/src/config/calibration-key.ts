/**
 * The key of a hardware/framework pair in `SimOptions.calibration` and in a file written by `sim calibrate -o`.
 * The hardware is lower-cased, as catalog keys are: `sim calibrate` keys a point by the hardware its file names
 * (`H200` in a PointResult), a prediction by the GPU it resolved (`h200`), and the two must meet.
 * @example calibrationKey("B200", "trt") // "b200/trt"
 */
export function calibrationKey(hardware: string, framework: string): string {
  return `${hardware.toLowerCase()}/${framework}`;
}
