/**
 * The key of a hardware/framework pair in `SimOptions.calibration` and in a file written by `sim calibrate -o`.
 * @example calibrationKey("b200", "trt") // "b200/trt"
 */
export function calibrationKey(hardware: string, framework: string): string {
  return `${hardware}/${framework}`;
}
