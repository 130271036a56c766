/**
 * The accuracy tables of docs/simulator.md, as Markdown: `sim validate`'s error by slice (speculative decoding,
 * topology, ISL/OSL), by group (hardware, framework, topology, speculative decoding) and by where on the curve the
 * point sits (topology x concurrency range). Run:
 * node --conditions=infermark-source --import tsx bench/sim/accuracy-tables.ts [results.json ...]
 */
import { readValidationFiles, validateCases } from "@infermark/sim";

const files = process.argv.slice(2);
const { cases, skipped } = readValidationFiles(
  files.length ? files : ["examples/data/inferencex/benchmarks.json"],
);
const report = validateCases(cases, skipped);

interface Row {
  hardware: string;
  framework: string;
  islOsl: string;
  topology: "agg" | "disagg";
  spec: string;
  concurrency: number;
  /** Absolute error at the measured interactivity, and signed. */
  ape: number;
  signed: number;
  /** Absolute errors at the measured concurrency: throughput and interactivity. */
  apeAtConcurrency: number;
  intvtyApe: number;
}

const rows: Row[] = report.results.map((r) => {
  const c = r.case;
  return {
    hardware: c.hardware,
    framework: c.framework,
    islOsl: `${c.isl}/${c.osl}`,
    topology: c.options.disaggregated ? "disagg" : "agg",
    spec: c.options.spec?.method ?? "none",
    concurrency: c.concurrency,
    ape: r.ape,
    signed: (r.predictedAtIntvty - c.measured.tputPerGpu) / c.measured.tputPerGpu,
    apeAtConcurrency: r.atConcurrency.tputApe,
    intvtyApe: r.atConcurrency.intvtyApe,
  };
});

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const signedPct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(0)}%`;
const mdape = (list: Row[], key: "ape" | "apeAtConcurrency" | "intvtyApe") =>
  pct(median(list.map((r) => r[key])));

/** A Markdown table whose first `textColumns` columns are text and the rest numbers (right-aligned). */
function table(head: string[], body: string[][], textColumns: number): string {
  const align = head.map((_, i) => (i < textColumns ? "---" : "---:"));
  return [head, align, ...body].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

const slices: [string, (r: Row) => boolean][] = [
  ["no speculative decoding", (r) => r.spec === "none"],
  ["MTP", (r) => r.spec !== "none"],
  ["aggregated", (r) => r.topology === "agg"],
  ["disaggregated", (r) => r.topology === "disagg"],
  ...[...new Set(rows.map((r) => r.islOsl))]
    .sort()
    .map((io): [string, (r: Row) => boolean] => [`ISL/OSL ${io}`, (r) => r.islOsl === io]),
  ["all", () => true],
];
console.log(
  table(
    ["slice", "points", "MdAPE at measured interactivity", "MdAPE at measured concurrency"],
    slices.map(([name, keep]) => {
      const list = rows.filter(keep);
      return [name, String(list.length), mdape(list, "ape"), mdape(list, "apeAtConcurrency")];
    }),
    1,
  ),
);

const groups = new Map<string, Row[]>();
for (const r of rows) {
  const key = [r.hardware, r.framework, r.topology, r.spec].join(" | ");
  groups.set(key, [...(groups.get(key) ?? []), r]);
}
console.log(
  `\n${table(
    [
      "hardware",
      "framework",
      "topology",
      "spec",
      "points",
      "MdAPE at measured interactivity",
      "MdAPE at measured concurrency",
      "median signed error (at interactivity)",
    ],
    [...groups.keys()].sort().map((key) => {
      const list = groups.get(key)!;
      return [
        ...key.split(" | "),
        String(list.length),
        mdape(list, "ape"),
        mdape(list, "apeAtConcurrency"),
        pct(median(list.map((r) => r.signed))),
      ];
    }),
    4,
  )}`,
);

const ranges: [string, (c: number) => boolean][] = [
  ["1-8", (c) => c <= 8],
  ["9-64", (c) => c > 8 && c <= 64],
  ["65 and more", (c) => c > 64],
];
const curveRows: string[][] = [];
for (const [topology, name] of [
  ["agg", "aggregated"],
  ["disagg", "disaggregated"],
] as const) {
  for (const [range, inRange] of ranges) {
    const list = rows.filter((r) => r.topology === topology && inRange(r.concurrency));
    curveRows.push([
      name,
      range,
      String(list.length),
      mdape(list, "ape"),
      signedPct(median(list.map((r) => r.signed))),
      mdape(list, "intvtyApe"),
    ]);
  }
}
console.log(
  `\n${table(
    [
      "topology",
      "concurrency",
      "points",
      "MdAPE of tput/GPU at measured interactivity",
      "median signed error",
      "MdAPE of interactivity at measured concurrency",
    ],
    curveRows,
    2,
  )}`,
);
console.error(
  `${rows.length} points; overall MdAPE at the measured interactivity ${(report.mdape * 100).toFixed(1)}%`,
);
