import { YAMLParseError } from "yaml";

const MAX_QUOTED = 60;

/**
 * One line that says what is wrong in a YAML text and where. The parser's own message is several lines (what and
 * where, then the source with a caret under the spot), of which a one-line error printer would keep only the
 * first, cut off at "column 7:".
 * @example yamlErrorReason(error, "name: x\n  bad: [\n")
 * // 'malformed YAML at line 1, column 7: Nested mappings are not allowed in compact mappings (BLOCK_AS_IMPLICIT_KEY), in "name: x"'
 */
export function yamlErrorReason(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof YAMLParseError) || !error.linePos) {
    const oneLine = message
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .join(" ");
    return `malformed YAML: ${oneLine}`;
  }
  const { line, col } = error.linePos[0];
  // the parser's advice is for its callers' code ("please use YAML.parseAllDocuments()"), not for whoever wrote the file
  const what =
    error.code === "MULTIPLE_DOCS"
      ? "the file holds several documents (a --- line between them); give one, or a list of them"
      : message.replace(/ at line \d+, column \d+:[\s\S]*$/, "").trim();
  const source = text.split(/\r?\n/)[line - 1]?.trim() ?? "";
  const quoted = source.length > MAX_QUOTED ? `${source.slice(0, MAX_QUOTED - 3)}...` : source;
  return `malformed YAML at line ${line}, column ${col}: ${what} (${error.code})${quoted ? `, in ${JSON.stringify(quoted)}` : ""}`;
}
