import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { openStore } from "@infermark/store";
import { describe, expect, it } from "vitest";
import { type CliResult, runCli, tempDir } from "./helpers.js";
import { STORE_TARGETS } from "./store-targets.js";

// Values users paste into flags hold tokens (`--extra-body '{"api_key": "sk-...'`, a URL with its password given
// where a file is wanted): a message that refuses them names the flag and the reason, and repeats none of them.
// Commander printed every refused flag value before the parser's own message ("argument '<value>' is invalid").

const SECRET = "sk-SECRET-7f3a";
const BENCH = ["bench", "--base-url", "http://127.0.0.1:9", "--model", "m", "--concurrency", "1"];
const HIDDEN = "(the value is not shown: it may hold a credential)";

/** Runs each command line at once; every result must hold no part of the secret, on stdout or stderr. */
async function runAll(cases: readonly (readonly string[])[]): Promise<CliResult[]> {
  const results = await Promise.all(cases.map((args) => runCli(args)));
  for (const [i, r] of results.entries()) {
    expect(`${r.stdout}${r.stderr}`, cases[i]!.join(" ")).not.toContain("SECRET");
  }
  return results;
}

describe("refused flag values are not repeated", () => {
  it("bench: --extra-body, --metadata and --header say what is wrong and where, not what was given", async () => {
    const cases: [string[], string][] = [
      [
        ["--extra-body", `{"api_key": "${SECRET}`],
        `--extra-body expects a JSON object, got no valid JSON: unterminated string at its end ${HIDDEN}`,
      ],
      // V8's message quoted the text: "Unexpected token 's', "{"api_key": sk-..." is not valid JSON"
      [
        ["--extra-body", `{"api_key": ${SECRET}}`],
        `--extra-body expects a JSON object, got no valid JSON: unexpected character at character 13 of 27 ${HIDDEN}`,
      ],
      [
        ["--extra-body", `{"api_key": "${SECRET}",}`],
        `--extra-body expects a JSON object, got no valid JSON: expected double-quoted property name at character 30 of 30 ${HIDDEN}`,
      ],
      [
        ["--extra-body", `["${SECRET}"]`],
        `--extra-body expects a JSON object ({...}), got an array ${HIDDEN}`,
      ],
      [["--metadata", SECRET], `--metadata expects KEY=VALUE, got a value without = ${HIDDEN}`],
      [
        ["--metadata", `=${SECRET}`],
        `--metadata expects KEY=VALUE, got an empty KEY before = ${HIDDEN}`,
      ],
      [
        ["--header", `Authorization Bearer ${SECRET}`],
        `--header expects NAME:VALUE, got a value without a name and a colon before it ${HIDDEN}`,
      ],
      // typed the wrong way round: the name is the credential (before: `"bearer sk-secret-7f3a" is not a header name`)
      [
        ["--header", `Bearer ${SECRET}: authorization`],
        `--header expects NAME:VALUE, got a NAME that has a space (a header name is one word, as Authorization) ${HIDDEN}`,
      ],
    ];
    const results = await runAll(cases.map(([flags]) => [...BENCH, ...flags]));
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).toEqual(
      cases.map(([, message]) => [2, "", `infermark: ${message}\n`]),
    );
  });

  it("URL flags show the URL without its password; an unknown --name=value option without its value", async () => {
    const url = `http://u:${SECRET}@gpu-1:99999/metrics`;
    const results = await runAll([
      [...BENCH, "--dcgm-url", url],
      ["sweep", "spec.yaml", "--dcgm-url", url],
      ["import", "inferencex", "rows.json", "--run-url", `ftp://ci:${SECRET}@ci.example/run/1`],
      [...BENCH, `--api-key=${SECRET}`],
    ]);
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [
        2,
        "",
        'infermark: --dcgm-url expects an http(s) URL, got "http://***@gpu-1:99999/metrics"\n',
      ],
      [
        2,
        "",
        'infermark: --dcgm-url expects an http(s) URL, got "http://***@gpu-1:99999/metrics"\n',
      ],
      [
        2,
        "",
        'infermark: --run-url expects an http or https URL (https://github.com/OWNER/REPO/actions/runs/ID), got "ftp://ci:***@ci.example/run/1"\n',
      ],
      [
        2,
        "",
        "error: unknown option '--api-key' (its value is not shown) (run with --help for usage)\n",
      ],
    ]);
  });

  it("a URL given where a file is wanted is named without its password", async () => {
    const url = `postgres://u:${SECRET}@127.0.0.1:9/db`;
    const shown = "postgres://u:***@127.0.0.1:9/db";
    const results = await runAll([
      ["ingest", url],
      ["validate", url],
      ["aggregate", url],
      ["frontier", "--catalog", `https://u:${SECRET}@example.com/catalog.yaml`],
    ]);
    expect(results.map((r) => [r.code, r.stdout.split("\n")[0], r.stderr])).toEqual([
      [
        1,
        `rejected ${shown}: ${shown}: no such file or folder`,
        `infermark: nothing ingested: 1 file(s) read, no point stored; main reasons: 1 file(s) rejected: ${shown}: no such file or folder\n`,
      ],
      [1, `error ${shown}: no such file or folder`, ""],
      [1, "", `infermark: ${shown}: no such file\n`],
      [
        1,
        "",
        "infermark: https://u:***@example.com/catalog.yaml: cannot read the catalog override file: no such file\n",
      ],
    ]);
  });
});

const postgres = STORE_TARGETS.find((t) => t.name === "postgres")!;

describe.skipIf(postgres.skip)("report of a PostgreSQL store", () => {
  it("that holds no matching point names the store without its password", async () => {
    const target = await postgres.create();
    const { dir, cleanup } = await tempDir();
    try {
      const store = await openStore(target.url);
      await store.close();
      const out = join(dir, "report.html");
      await writeFile(out, "kept");
      const r = await runCli(["report", target.url, "-o", out, "--model", "nope"]);
      const password = new URL(target.url).password;
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^infermark: no points to report: none in postgres:\/\/[^:]+:\*\*\*@/,
      );
      expect(`${r.stdout}${r.stderr}`).not.toContain(`:${password}@`);
      expect(readFileSync(out, "utf8")).toBe("kept");
    } finally {
      await Promise.all([target.cleanup(), cleanup()]);
    }
  });
});
