/** One sample of the Prometheus text exposition format. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?\s*$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/g;

/**
 * Parses Prometheus text exposition (version 0.0.4): `name{label="v",...} value [timestamp]`, skipping comments,
 * blank and malformed lines. `NaN`, `+Inf` and `-Inf` values are kept as numbers.
 * @example parsePrometheusText('vllm:num_requests_running{model_name="m"} 3')
 * // [{ name: "vllm:num_requests_running", labels: { model_name: "m" }, value: 3 }]
 */
export function parsePrometheusText(text: string): PromSample[] {
  const out: PromSample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const value = parseValue(m[4]!);
    if (value === undefined) continue;
    const labels: Record<string, string> = {};
    if (m[3]) {
      for (const l of m[3].matchAll(LABEL)) labels[l[1]!] = unescapeLabel(l[2]!);
    }
    out.push({ name: m[1]!, labels, value });
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
