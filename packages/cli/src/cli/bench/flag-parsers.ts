import { headerNameProblem } from "@infermark/bench";
import { InvalidArgumentError } from "commander";
import { jsonSyntaxReason } from "../json-syntax-reason.js";
import { numberFlag } from "../parse.js";
import { unshownValueError } from "../unshown-value-error.js";

/* Commander parsers of the flags `infermark bench` alone takes; the shared ones are in `../parse.ts`. */

/** The most client threads `--workers` starts (each is a Node.js isolate of tens of MB that takes a while to start). */
export const MAX_WORKERS = 256;

/** `--workers`: a whole number from 0 to MAX_WORKERS, or `auto` (resolved by the load generator from the levels). */
export function workerCount(flag: string) {
  return (value: string): number | "auto" => {
    if (value === "auto") return "auto";
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < 0 || n > MAX_WORKERS) {
      throw new InvalidArgumentError(
        `${flag} expects a whole number from 0 to ${MAX_WORKERS} or auto, got "${value}"`,
      );
    }
    return n;
  };
}

/** A commander parser for a number >= 0. */
export const nonNegativeNumber = (flag: string) =>
  numberFlag(flag, (n) => Number.isFinite(n) && n >= 0, "a number >= 0");

/** A commander parser for a number in [0, 1] (`--range-ratio`). */
export const ratio = (flag: string) =>
  numberFlag(flag, (n) => Number.isFinite(n) && n >= 0 && n <= 1, "a number in [0, 1]");

/**
 * A commander parser for a JSON object (`--extra-body`); arrays and scalars are refused. A bad value is refused with
 * where and why it is not JSON, never with any of it: request-body fields may hold a key (`{"api_key": "sk-..."}`).
 */
export function jsonObject(flag: string) {
  return (value: string): Record<string, unknown> => {
    const notJson = jsonSyntaxReason(value);
    if (notJson !== undefined)
      throw unshownValueError(flag, `expects a JSON object, got no valid JSON: ${notJson}`);
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw unshownValueError(flag, `expects a JSON object ({...}), got ${jsonKind(parsed)}`);
    return parsed as Record<string, unknown>;
  };
}

/** What a JSON value is, in words: `an array`, `a string`, `null`. */
const jsonKind = (v: unknown): string =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? "an array"
      : typeof v === "boolean"
        ? "a boolean"
        : `a ${typeof v}`;

/** `--header NAME:VALUE`, repeatable: collects the headers, names lower-cased, both sides trimmed. */
export function collectHeader(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const at = value.indexOf(":");
  // a header without its colon (`Authorization Bearer sk-...`) is often a credential
  if (at < 0 || value.slice(0, at).trim() === "")
    throw unshownValueError(
      "--header",
      "expects NAME:VALUE, got a value without a name and a colon before it",
    );
  const name = value.slice(0, at).trim();
  // typed the wrong way round (`Bearer sk-...: x`), the name is the credential
  const problem = headerNameProblem(name);
  if (problem)
    throw unshownValueError("--header", `expects NAME:VALUE, got a NAME that ${problem}`);
  return { ...previous, [name.toLowerCase()]: value.slice(at + 1).trim() };
}

/**
 * `--metadata KEY=VALUE`, repeatable (vLLM's `--metadata`): what the point should carry for the record (a driver
 * version, an engine flag tried), kept in `extra.metadata`. Both sides trimmed; the key must not be empty.
 */
export function collectMetadata(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const at = value.indexOf("=");
  // a pair meant for the record may be a credential all the same (`HF_TOKEN=hf_...`, or the token alone)
  if (at < 0) throw unshownValueError("--metadata", "expects KEY=VALUE, got a value without =");
  if (value.slice(0, at).trim() === "")
    throw unshownValueError("--metadata", "expects KEY=VALUE, got an empty KEY before =");
  return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1).trim() };
}

/**
 * `--gpu-ids 0,1,2,3` or `0-3` (or both: `0-3,6`): GPU ids as the power sampler numbers them, whole numbers >= 0, no
 * id twice.
 */
export function gpuIdList(flag: string) {
  return (value: string): number[] => {
    const ids: number[] = [];
    for (const item of value.split(",").map((s) => s.trim())) {
      const range = /^(\d+)(?:-(\d+))?$/.exec(item);
      const [a, b] = range ? [Number(range[1]), Number(range[2] ?? range[1])] : [Number.NaN, 0];
      if (!range || !Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b < a)
        throw new InvalidArgumentError(
          `${flag} expects GPU ids as whole numbers >= 0, listed (0,1,2) or as ranges (0-7), got "${value}"`,
        );
      for (let id = a; id <= b; id++) ids.push(id);
    }
    if (new Set(ids).size !== ids.length)
      throw new InvalidArgumentError(`${flag} names a GPU twice: "${value}"`);
    return ids;
  };
}

/** `--time-scale`: "auto" or a positive number. */
export function timeScale(value: string): number | "auto" {
  if (value === "auto") return value;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(
      `--time-scale expects auto or a positive number, got "${value}"`,
    );
  return n;
}
