import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../cli.js";
import { strictOptions } from "./strict-options.js";

/** A small tree with strictOptions: what each parse ends with (the options, or the error line and its exit code). */
function parse(args: string[]) {
  let err = "";
  const program = new Command("t").exitOverride().configureOutput({ writeErr: (s) => (err += s) });
  let seen: Record<string, unknown> | undefined;
  program
    .command("run")
    .option("--db <url>")
    .option("--catalog <file>")
    .option("--status [dir]")
    .option("--json")
    .action((o) => {
      seen = o;
    });
  strictOptions(program);
  try {
    program.parse(["node", "t", "run", ...args]);
  } catch (error) {
    return { err: err.trim(), exitCode: (error as { exitCode?: number }).exitCode };
  }
  return { seen };
}

describe("strictOptions", () => {
  it("refuses an empty value (an unset variable) that the command would take for the flag left out", () => {
    for (const value of ["", "  "])
      expect(parse(["--catalog", value])).toEqual({
        err: `error: option '--catalog <file>' argument '${value}' is invalid. --catalog expects a value, got an empty one`,
        exitCode: 2,
      });
    expect(parse(["--status", ""])).toMatchObject({ exitCode: 2 });
  });

  it("takes a value, an optional value left out, a flag without one, and the last of a flag given twice", () => {
    expect(parse(["--status", "--json", "--catalog", "a.yaml", "--catalog", "b.yaml"])).toEqual({
      seen: { status: true, json: true, catalog: "b.yaml" },
    });
  });

  it("leaves --db's empty value to the store, which says what it would have fallen back to", () => {
    expect(parse(["--db", " "])).toEqual({ seen: { db: " " } });
  });
});

describe("infermark's flags", () => {
  /** What commander printed for the arguments and the exit code it gave; no action runs. */
  async function refused(...args: string[]) {
    let err = "";
    const program = buildProgram({ writeErr: (s) => (err += s), writeOut: () => {} });
    const error = await program.parseAsync(["node", "infermark", ...args]).then(
      () => undefined,
      (e: { exitCode?: number }) => e,
    );
    return { err: err.trim(), exitCode: error?.exitCode };
  }

  it("an empty value is refused by name instead of falling back to the default", async () => {
    for (const [args, flag] of [
      // each went on with the default: the built-in catalog, stdout, the file's date, every point as A, the
      // default output folder, every document detected, the default workflow path
      [["frontier", "--catalog", ""], "--catalog <file>"],
      [["export", "-o", ""], "-o, --output <file>"],
      [["import", "inferencex", "x.json", "--date", ""], "--date <YYYY-MM-DD>"],
      [["compare", "--a", "", "--b", "hardware=h100", "--at", "40"], "--a <filter>"],
      [["sweep", "spec.yaml", "--output-dir", ""], "--output-dir <dir>"],
      [["validate", "x.json", "--schema", ""], "--schema <name>"],
      [["sweep", "spec.yaml", "--executor", "github", "--workflow", " "], "--workflow <path>"],
      [["sim", "predict", "--calibration", ""], "--calibration <file>"],
    ] as const) {
      const long = flag.split(/[ ,]+/).find((f) => f.startsWith("--"))!;
      const list: readonly string[] = args;
      const value = list[list.indexOf(long === "--output" ? "-o" : long) + 1];
      expect(await refused(...args), args.join(" ")).toEqual({
        err: `error: option '${flag}' argument '${value}' is invalid. ${long} expects a value, got an empty one (run with --help for usage)`,
        exitCode: 2,
      });
    }
  });
});
