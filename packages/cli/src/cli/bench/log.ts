/**
 * Writes one line to stderr, where `infermark bench` tells how the run goes; stdout holds the results.
 * @example log("[c4] start: 40 requests after 8 warm-up")
 */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
