import { describe, expect, it } from "vitest";
import { ratio, workerCount } from "./bench/flag-parsers.js";
import {
  infiniteRateAsConcurrency,
  integer,
  nonNegativeInt,
  port,
  positiveInt,
  positiveNumber,
  rateList,
} from "./parse.js";

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
    expect(port("0")).toBe(0);
    // Number("") is 0 too: `--port ""` (an unset variable) served on a free port
    for (const blank of ["", " "])
      expect(() => port(blank)).toThrow(`--port expects 0-65535, got "${blank}"`);
    expect(workerCount("--workers")("256")).toBe(256);
    // resolved by the load generator, which knows the levels
    expect(workerCount("--workers")("auto")).toBe("auto");
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

describe("--rate levels", () => {
  it("read inf (vLLM's --request-rate inf) as Infinity, in the order given, and nothing else that is not a number", () => {
    expect(rateList("--rate")("0.5,2")).toEqual([0.5, 2]);
    expect(rateList("--rate")("inf")).toEqual([Number.POSITIVE_INFINITY]);
    expect(rateList("--rate")("1,Infinity,3")).toEqual([1, Number.POSITIVE_INFINITY, 3]);
    expect(() => rateList("--rate")("inf,x")).toThrow(
      '--rate expects a comma-separated list of positive numbers, got "x"',
    );
    expect(() => rateList("--rate")("infinite")).toThrow("positive numbers");
  });

  it("take inf with a cap of N as the closed loop of N; leave finite rates alone", () => {
    expect(
      infiniteRateAsConcurrency({ rate: [Number.POSITIVE_INFINITY], maxConcurrency: 64 }),
    ).toEqual({ concurrency: [64] });
    expect(infiniteRateAsConcurrency({ rate: [2], maxConcurrency: 64 })).toBeUndefined();
    expect(() =>
      infiniteRateAsConcurrency({
        rate: [Number.POSITIVE_INFINITY],
        maxConcurrency: 4,
        arrival: "gamma",
      }),
    ).toThrow("--arrival / --burstiness do not apply to --rate inf");
  });
});
