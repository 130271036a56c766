import { describe, expect, it } from "vitest";
import { ratio, workerCount } from "./bench/flag-parsers.js";
import { integer, nonNegativeInt, positiveInt, positiveNumber } from "./parse.js";

describe("number flag parsers", () => {
  it("return the number they accept and name the flag and what it expects otherwise", () => {
    expect(positiveInt("--gpus")("8")).toBe(8);
    expect(() => positiveInt("--gpus")("0")).toThrow('--gpus expects a positive integer, got "0"');
    expect(() => positiveInt("--gpus")("2.5")).toThrow("positive integer");
    expect(positiveNumber("--rate")("0.5")).toBe(0.5);
    expect(() => positiveNumber("--rate")("Infinity")).toThrow(
      '--rate expects a positive number, got "Infinity"',
    );
    expect(nonNegativeInt("--warmup")("0")).toBe(0);
    expect(() => nonNegativeInt("--warmup")("-1")).toThrow(
      '--warmup expects an integer >= 0, got "-1"',
    );
    // Number("") is 0: a blank value was read as 0
    expect(() => nonNegativeInt("--seed")("")).toThrow('--seed expects an integer >= 0, got ""');
    expect(() => integer("--seed")(" ")).toThrow('--seed expects an integer, got " "');
    expect(integer("--seed")("-3")).toBe(-3);
    expect(workerCount("--workers")("256")).toBe(256);
    // each worker is an isolate of tens of MB: --workers 1000 did not start within a minute
    expect(() => workerCount("--workers")("1000")).toThrow(
      '--workers expects a whole number from 0 to 256 or auto, got "1000"',
    );
    expect(ratio("--range-ratio")("0.8")).toBe(0.8);
    expect(() => ratio("--range-ratio")("1.2")).toThrow(
      '--range-ratio expects a number in [0, 1], got "1.2"',
    );
  });
});
