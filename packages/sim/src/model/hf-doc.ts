import { SimConfigError } from "../errors.js";

export type Json = Record<string, unknown>;

/** A config's fields, and the file they came from (`ref`), which every error names. */
export interface Doc {
  c: Json;
  ref: string;
}

/** An error about the config, naming its file. */
export const fail = (d: Doc, message: string) => new SimConfigError(`${d.ref}: ${message}`);

/** The first of `keys` the config gives as a number; it must be a non-negative integer. */
export const int = (d: Doc, ...keys: string[]): number | undefined => {
  for (const k of keys) {
    const v = d.c[k];
    // a size written as a string ("32") is a mistake, not an absent field: say so rather than "missing"
    if (typeof v === "string")
      throw fail(d, `${k} must be a non-negative integer, got ${JSON.stringify(v)}`);
    if (typeof v !== "number") continue;
    if (!Number.isInteger(v) || v < 0)
      throw fail(d, `${k} must be a non-negative integer, got ${v}`);
    return v;
  }
  return undefined;
};
