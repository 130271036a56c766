/** One sample of the Prometheus text exposition format. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /**
   * The metric family's type from its `# TYPE` line (`counter`, `gauge`, `histogram`, `summary`, `untyped`); a
   * histogram's or summary's `_bucket`, `_sum` and `_count` series carry their family's. Absent without one.
   */
  type?: string;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?\s*$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/g;
const TYPE = /^#\s*TYPE\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s+(\w+)/;
/** The suffixes a family's series add to its name: a histogram's or summary's parts, OpenMetrics' `_total`. */
const FAMILY_SUFFIX = /_(?:bucket|sum|count|total|created)$/;

/**
 * Parses Prometheus text exposition (version 0.0.4): `name{label="v",...} value [timestamp]`, skipping comments,
 * blank and malformed lines, each sample with its family's `# TYPE` when one was given. `NaN`, `+Inf` and `-Inf`
 * values are kept as numbers.
 * @example parsePrometheusText('vllm:num_requests_running{model_name="m"} 3')
 * // [{ name: "vllm:num_requests_running", labels: { model_name: "m" }, value: 3 }]
 */
export function parsePrometheusText(text: string): PromSample[] {
  const out: PromSample[] = [];
  const types = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("#")) {
      const typed = TYPE.exec(line);
      if (typed) types.set(typed[1]!, typed[2]!);
      continue;
    }
    if (line === "") continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const value = parseValue(m[4]!);
    if (value === undefined) continue;
    const labels: Record<string, string> = {};
    if (m[3]) {
      for (const l of m[3].matchAll(LABEL)) labels[l[1]!] = unescapeLabel(l[2]!);
    }
    const name = m[1]!;
    const type = types.get(name) ?? types.get(name.replace(FAMILY_SUFFIX, ""));
    out.push(type ? { name, labels, value, type } : { name, labels, value });
  }
  return out;
}

function parseValue(s: string): number | undefined {
  if (s === "+Inf" || s === "Inf") return Number.POSITIVE_INFINITY;
  if (s === "-Inf") return Number.NEGATIVE_INFINITY;
  if (s === "NaN") return Number.NaN;
  const n = Number(s);
  return Number.isNaN(n) ? undefined : n;
}

const unescapeLabel = (s: string): string =>
  s.replace(/\\(["\\n])/g, (_, c: string) => (c === "n" ? "\n" : c));
