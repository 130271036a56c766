import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { yamlErrorReason } from "./yaml-error-reason.js";

const reasonOf = (text: string): string => {
  try {
    parse(text);
  } catch (error) {
    return yamlErrorReason(error, text);
  }
  throw new Error("parsed");
};

describe("yamlErrorReason", () => {
  it("says what and where on one line, with the source line", () => {
    expect(reasonOf("a: [1, 2\nb: 3\n")).toBe(
      'malformed YAML at line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ] (BAD_INDENT), in "b: 3"',
    );
    expect(reasonOf("key: 1\nkey: 2\n")).toBe(
      'malformed YAML at line 2, column 1: Map keys must be unique (DUPLICATE_KEY), in "key: 2"',
    );
  });

  it("says what to do with several documents, not what the parser's callers should call", () => {
    expect(reasonOf("a: 1\n---\nb: 2\n")).toBe(
      'malformed YAML at line 2, column 1: the file holds several documents (a --- line between them); give one, or a list of them (MULTIPLE_DOCS), in "---"',
    );
  });

  it("leaves out an empty source line and cuts a long one", () => {
    expect(reasonOf("a: 'x\n")).toBe(
      "malformed YAML at line 2, column 1: Missing closing 'quote (MISSING_CHAR)",
    );
    expect(reasonOf(`a: b: ${"x".repeat(80)}\n`)).toBe(
      `malformed YAML at line 1, column 4: Nested mappings are not allowed in compact mappings (BLOCK_AS_IMPLICIT_KEY), in "a: b: ${"x".repeat(51)}..."`,
    );
  });

  it("keeps an error without a position as one line", () => {
    expect(reasonOf("a: *x\n")).toBe(
      "malformed YAML: Unresolved alias (the anchor must be set before the alias): x",
    );
  });
});
