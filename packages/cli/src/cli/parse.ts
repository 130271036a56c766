import { InvalidArgumentError } from "commander";

/** A commander parser for a positive integer flag, naming the flag on error. */
export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} expects a positive integer, got "${value}"`);
    return n;
  };
}

/** A commander parser for a positive number flag. */
export function positiveNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} expects a positive number, got "${value}"`);
    return n;
  };
}

/** A commander parser for a comma-separated list of positive integers (`1,2,4,8`). */
export function intList(flag: string) {
  return (value: string): number[] => {
    const items = value.split(",").map((s) => s.trim());
    const out = items.map(Number);
    if (items.some((s) => s === "") || out.some((n) => !Number.isInteger(n) || n <= 0)) {
      throw new InvalidArgumentError(
        `${flag} expects a comma-separated list of positive integers, got "${value}"`,
      );
    }
    return out;
  };
}
