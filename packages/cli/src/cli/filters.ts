import { isIsoDay, PointFilter, PointSource } from "@infermark/core";
import { type Command, InvalidArgumentError } from "commander";
import { UsageError } from "../errors.js";
import { nonNegativeInt } from "./parse.js";

/** The options `addFilterOptions` adds, as commander parses them. */
export interface FilterFlags {
  model?: string[];
  isl?: number;
  osl?: number;
  workload?: string[];
  hardware?: string[];
  framework?: string[];
  precision?: string[];
  spec?: string[];
  disagg?: boolean;
  image?: string[];
  frameworkVersion?: string[];
  source?: string[];
  from?: string;
  to?: string;
  latest?: boolean;
  validOnly?: boolean;
}

const csv = (flag: string) => (value: string, previous: string[] | undefined) => {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (items.length === 0) throw new InvalidArgumentError(`${flag} expects at least one value`);
  return [...(previous ?? []), ...items];
};

/** A commander parser of a calendar day YYYY-MM-DD (`isIsoDay`), naming `flag` when the value is not one. */
export const isoDate = (flag: string) => (value: string) => {
  if (!isIsoDay(value))
    throw new InvalidArgumentError(`${flag} expects a date YYYY-MM-DD, got "${value}"`);
  return value;
};

const bool = (flag: string) => (value: string) => {
  const v = value.toLowerCase();
  if (["true", "yes", "1"].includes(v)) return true;
  if (["false", "no", "0"].includes(v)) return false;
  throw new InvalidArgumentError(`${flag} expects true or false, got "${value}"`);
};

const sources = (value: string, previous: string[] | undefined) => {
  const items = csv("--source")(value, previous);
  for (const s of items)
    if (!PointSource.safeParse(s).success)
      throw new InvalidArgumentError(
        `--source expects ${PointSource.options.join(", ")}, got "${s}"`,
      );
  return items;
};

/**
 * Adds the point filter flags (--model, --isl, --osl, --workload, --hardware, --framework, --precision, --spec, --disagg,
 * --image, --framework-version, --source, --from, --to, --latest, --valid-only) to a command. List flags take comma-separated values and
 * may repeat. `latest: false` leaves out --latest, for commands that choose their point set themselves.
 *
 * @example
 * addFilterOptions(program.command("export")).action((opts) => queryPoints(toPointFilter(opts)));
 */
export function addFilterOptions(command: Command, { latest = true } = {}): Command {
  command
    .option("--model <keys>", "model key(s), comma-separated", csv("--model"))
    .option("--isl <n>", "input sequence length", nonNegativeInt("--isl"))
    .option("--osl <n>", "output sequence length", nonNegativeInt("--osl"))
    .option(
      "--workload <kinds>",
      'workload kind(s), comma-separated: random, sharegpt, jsonl, session, trace, or a group\'s kind ("session x4", "sharegpt chat.json")',
      csv("--workload"),
    )
    .option("--hardware <keys>", "GPU key(s), comma-separated (h200, b200, ...)", csv("--hardware"))
    .option("--framework <names>", "framework(s), comma-separated", csv("--framework"))
    .option(
      "--precision <names>",
      "precision(s), comma-separated (fp8, fp4, ...)",
      csv("--precision"),
    )
    .option("--spec <methods>", "speculative decoding method(s) (none, mtp, ...)", csv("--spec"))
    .option(
      "--disagg <bool>",
      "only disaggregated (true) or aggregated (false) points",
      bool("--disagg"),
    )
    .option(
      "--image <refs>",
      "the server's container image(s) as recorded, comma-separated (vllm/vllm-openai:v0.11.0)",
      csv("--image"),
    )
    .option(
      "--framework-version <releases>",
      "serving-software release(s): the engine's version as recorded, else the image's tag; 0.11.0 matches v0.11.0 and v0.11.0-cu129, 0.11 every 0.11.x",
      csv("--framework-version"),
    )
    .option("--source <kinds>", "measured, simulated and/or imported", sources)
    .option("--from <date>", "first day (YYYY-MM-DD), inclusive", isoDate("--from"))
    .option("--to <date>", "last day (YYYY-MM-DD), inclusive", isoDate("--to"));
  if (latest)
    command.option(
      "--latest",
      "only the latest point of each configuration and concurrency (as of --to)",
    );
  return command.option("--valid-only", "only points marked valid");
}

/**
 * Turns the parsed filter flags into a `PointFilter` (unset flags are left out).
 *
 * @example
 * toPointFilter({ model: ["dsr1"], isl: 1024, latest: true }) // { model: ["dsr1"], isl: 1024, latest: true }
 */
export function toPointFilter(flags: FilterFlags): PointFilter {
  // days in ISO form compare as text; a range that holds no day would answer "no points" without saying why
  if (flags.from && flags.to && flags.from > flags.to)
    throw new UsageError(
      `--from ${flags.from} is after --to ${flags.to}: no day lies between them`,
    );
  const filter: PointFilter = {};
  if (flags.model) filter.model = flags.model;
  if (flags.isl !== undefined) filter.isl = flags.isl;
  if (flags.osl !== undefined) filter.osl = flags.osl;
  if (flags.workload) filter.workload = flags.workload;
  if (flags.hardware) filter.hardware = flags.hardware;
  if (flags.framework) filter.framework = flags.framework;
  if (flags.precision) filter.precision = flags.precision;
  if (flags.spec) filter.spec = flags.spec;
  if (flags.disagg !== undefined) filter.disaggregated = flags.disagg;
  if (flags.image) filter.image = flags.image;
  if (flags.frameworkVersion) filter.version = flags.frameworkVersion;
  if (flags.source) filter.source = flags.source as PointSource[];
  if (flags.from) filter.dateFrom = flags.from;
  if (flags.to) filter.dateTo = flags.to;
  if (flags.latest) filter.latest = true;
  if (flags.validOnly) filter.validOnly = true;
  return PointFilter.parse(filter);
}
