import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocuments, readDocuments, readYamlFile } from "./io.js";

describe("reading data files", () => {
  const dir = mkdtempSync(join(tmpdir(), "infermark-io-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("drops a leading byte-order mark from JSON, JSONL and YAML", () => {
    const bom = "\uFEFF";
    expect(parseDocuments("a.json", `${bom}{"a":1}`)).toEqual([{ a: 1 }]);
    expect(parseDocuments("a.jsonl", `${bom}{"a":1}\n{"a":2}\n`)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseDocuments("a.yaml", `${bom}a: 1\n`)).toEqual([{ a: 1 }]);
  });

  it("says on which line and column a JSON file is malformed", () => {
    // V8: "Expected ',' or '}' after property value in JSON at position 23"
    const text = '{\n  "a": 1,\n  "b": 2\n  "c": 3\n}\n';
    expect(() => parseDocuments("p.json", text)).toThrow(/at position 23; line 4, column 3\)$/);
  });

  it("never quotes a malformed JSON or JSONL text, which may hold a key", async () => {
    // V8: `Unexpected token 's', ..."api_key": sk-live-12"... is not valid JSON`
    const text = '{\n  "api_key": sk-live-1234567890\n}';
    expect(() => parseDocuments("p.json", text)).toThrow(
      "p.json: malformed JSON (Unexpected token in JSON at position 15; line 2, column 14)",
    );
    const path = join(dir, "keys.jsonl");
    writeFileSync(path, '{"a":1}\n{"api_key": sk-live-1234567890}\n');
    await expect(readDocuments(path)).rejects.toThrow(
      new RegExp(`^${path}: line 2: malformed JSON \\(Unexpected token in JSON at position 12\\)$`),
    );
  });

  it("reads JSONL line by line as parseDocuments reads its text: BOM, CRLF, blank lines, long lines", async () => {
    const long = { text: "é中😀 ".repeat(40_000) }; // one line over several of the reader's chunks
    const text = `\uFEFF{"a":1}\r\n\n  \n${JSON.stringify(long)}\n{"a":2}`;
    const path = join(dir, "docs.jsonl");
    writeFileSync(path, text);
    const docs = await readDocuments(path);
    expect(docs).toEqual([{ a: 1 }, long, { a: 2 }]);
    expect(parseDocuments(path, text)).toEqual(docs);
  });

  it("names the line of malformed JSONL, and a JSONL path it cannot read", async () => {
    const path = join(dir, "bad.ndjson");
    writeFileSync(path, '{"a":1}\n\n{"a":\n');
    await expect(readDocuments(path)).rejects.toThrow(`${path}: line 3: malformed JSON (`);
    await expect(readDocuments(join(dir, "none.jsonl"))).rejects.toThrow(/: no such file$/);
    const folder = join(dir, "folder.jsonl");
    mkdirSync(folder);
    await expect(readDocuments(folder)).rejects.toThrow(/folder\.jsonl: is a folder$/);
  });

  it("names what kept a file from being read in words", async () => {
    await expect(readDocuments(join(dir, "none.json"))).rejects.toThrow(/: no such file$/);
    await expect(readDocuments(dir)).rejects.toThrow(/: is a folder$/);
    const locked = join(dir, "locked.json");
    writeFileSync(locked, "{}", { mode: 0o000 });
    // root reads any file: the check only means something for other users
    if (process.getuid?.() !== 0)
      await expect(readDocuments(locked)).rejects.toThrow(/: permission denied$/);
  });
});

describe("readYamlFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "infermark-settings-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it("says why a file cannot be read, on the same line", () => {
    // before: "cannot read the catalog override file", and nothing of why
    const missing = join(dir, "none.yaml");
    expect(() => readYamlFile(missing, "catalog override file")).toThrow(
      `${missing}: cannot read the catalog override file: no such file`,
    );
    expect(() => readYamlFile(dir, "calibration file")).toThrow(
      `${dir}: cannot read the calibration file: is a folder`,
    );
    const locked = file("locked.yaml", "a: 1\n");
    chmodSync(locked, 0o000);
    if (process.getuid?.() !== 0)
      expect(() => readYamlFile(locked, "calibration file")).toThrow(
        `${locked}: cannot read the calibration file: permission denied`,
      );
  });

  it("reads a .json file as JSON and says so when it is malformed, without quoting it", () => {
    expect(readYamlFile(file("ok.json", '\uFEFF{"factors": {}}'), "calibration file")).toEqual({
      factors: {},
    });
    // before: "malformed YAML at line 2, column 12: ... in \"\"factors\": x-secret-1234\""
    const bad = file("bad.json", '{\n "factors": x-secret-1234\n}');
    expect(() => readYamlFile(bad, "calibration file")).toThrow(
      new RegExp(
        `^${bad}: malformed JSON \\(Unexpected token in JSON at position 14; line 2, column 13\\)$`,
      ),
    );
    const yaml = file("bad.yml", "factors: [\n");
    expect(() => readYamlFile(yaml, "calibration file")).toThrow(
      `${yaml}: malformed YAML at line 2, column 1:`,
    );
  });
});
