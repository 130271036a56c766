// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is what a spec writes in a header for an environment variable
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { freePort } from "../src/sweep/free-port.js";
import { filesUnder, runCli, tempDir } from "./helpers.js";
import { TINY_CATALOG, tinySpec } from "./tiny-spec.js";

// Secrets a sweep knows, in the forms its name rules missed: variables named OPENAI_KEY, AZURE_OPENAI_KEY, HF_AUTH
// (infermark's environment and the spec's server.env), a header given as `Authorization=Bearer ...` or in JSON, and
// mysql's `-pPASSWORD`. A server that prints them in a shape no name rule catches (`<value>`) has them hidden in its
// log and the failure records by their values; the harmless values beside them (KEY_VALUE_CACHE_DTYPE, SORT_KEY,
// an X-Author header) stay as written.

const ENV = {
  INFERMARK_CATALOG: TINY_CATALOG,
  OPENAI_KEY: "sk-openai-key-env-4401",
  HF_AUTH: "hf-auth-env-4402",
  GATEWAY_CRED: "gw-cred-env-4403",
  KEY_VALUE_CACHE_DTYPE: "float16",
  SORT_KEY: "name-of-sort",
};
/** A credential the spec's server.env holds under a name that ends in KEY. */
const SPEC_ENV_KEY = "az-spec-env-4404";
/** Credentials written in the server's command, in the forms the command's rules missed. */
const KV_TOKEN = "sk-kv-cmd-4405";
const JSON_TOKEN = "sk-json-cmd-4406";
const MYSQL_PW = "pw-mysql-cmd-4407";
const SECRETS = [
  ENV.OPENAI_KEY,
  ENV.HF_AUTH,
  ENV.GATEWAY_CRED,
  SPEC_ENV_KEY,
  KV_TOKEN,
  JSON_TOKEN,
  MYSQL_PW,
];
/** The forms, as a no-op (`:`) before the server's command: recorded as the sweep records a command. */
const FORMS = `: --extra-headers Authorization=Bearer ${KV_TOKEN} --extra-headers X-Author=alice-writer --json '{"Authorization": "Bearer ${JSON_TOKEN}"}'; : mysql -uroot -p${MYSQL_PW} -h db`;
const FORMS_SHOWN = `: --extra-headers Authorization=Bearer *** --extra-headers X-Author=alice-writer --json '{"Authorization": "Bearer ***"}'; : mysql -uroot -p*** -h db`;

describe("secrets a sweep knows, in the forms the name rules missed: hidden in every file, and nothing else", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-redaction-forms-"));
  });
  afterAll(() => cleanup());

  /**
   * The tiny engine's spec with `command` and `env` as its server's and `over` laid on top, written to
   * `<dir>/<name>.yaml`.
   */
  async function specWith(
    name: string,
    command: string,
    over: Record<string, unknown> = {},
    env: Record<string, string> = {},
  ): Promise<string> {
    const spec = tinySpec(await freePort(), over);
    const path = join(dir, `${name}.yaml`);
    await writeFile(path, stringify({ ...spec, server: { ...spec.server, command, env } }));
    return path;
  }

  it("plan --json shows a K=V and a JSON Authorization header and mysql's -p as ***, an X-Author header as written", async () => {
    const spec = await specWith("plan", `${FORMS}; exit 3`);
    const r = await runCli(["plan", spec, "--json"], { env: ENV });
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout).servers[0].command).toBe(`${FORMS_SHOWN}; exit 3`);
  });

  it("a server that prints every secret it was given, bare: its log, failure records and output hide each", async () => {
    // as an engine prints its environment and arguments, in a shape no name rule catches
    const printed =
      'echo "seen <$OPENAI_KEY> <$HF_AUTH> <$GATEWAY_CRED> <$AZURE_OPENAI_KEY> <$KEY_VALUE_CACHE_DTYPE> <$SORT_KEY>"; ' +
      `echo "args <${KV_TOKEN}> <${JSON_TOKEN}> <${MYSQL_PW}>"`;
    const spec = await specWith(
      "dying",
      `${FORMS}; ${printed}; exit 3`,
      { bench: { apiKeyEnv: "GATEWAY_CRED" } },
      { AZURE_OPENAI_KEY: SPEC_ENV_KEY },
    );
    const out = join(dir, "dying");
    const r = await runCli(["sweep", spec, "--output-dir", out, "--no-ingest"], { env: ENV });
    expect([r.code, r.stdout.split("\n")[0]]).toEqual([
      1,
      `0 measured, 0 already measured, 2 failed; results in ${out}`,
    ]);
    const seen = "seen <***> <***> <***> <***> <float16> <name-of-sort>";
    const args = "args <***> <***> <***>";
    const serverDir = join(out, "tiny-h200-vllm-fp8-tp1-32x8");
    const log = (await readFile(join(serverDir, "server.log"), "utf8")).split("\n");
    expect(log.filter((l) => /^(?:seen|args) /.test(l))).toEqual([seen, args]);
    const failure = JSON.parse(
      await readFile(join(serverDir, "tiny-h200-vllm-fp8-tp1-32x8-c1.failed.json"), "utf8"),
    );
    expect(failure.logTail.split("\n").filter((l: string) => /^(?:seen|args) /.test(l))).toEqual([
      seen,
      args,
    ]);
    expect(r.stderr.split("\n")[0]).toBe(
      `start   tiny-h200-vllm-fp8-tp1-32x8: ${FORMS_SHOWN}; ${printed.replaceAll(KV_TOKEN, "***").replaceAll(JSON_TOKEN, "***").replaceAll(MYSQL_PW, "***")}; exit 3`,
    );
    const leaks = (await filesUnder(out)).flatMap(([file, text]) =>
      SECRETS.filter((s) => text.includes(s)).map((s) => `${file}: ${s}`),
    );
    expect(leaks).toEqual([]);
    expect(SECRETS.filter((s) => r.stdout.includes(s) || r.stderr.includes(s))).toEqual([]);
  });

  it("takes a header named X-Author in bench.headers for no credential, and still refuses a credential written there", async () => {
    const plain = await specWith("author", "exit 3", {
      bench: { headers: { "X-Author": "alice-writer" } },
    });
    const r = await runCli(["plan", plain], { env: ENV });
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const secret = await specWith("custom-token", "exit 3", {
      bench: { headers: { "X-Custom-Token": "tok-written-4408" } },
    });
    const refused = await runCli(["plan", secret], { env: ENV });
    expect([refused.code, refused.stdout]).toEqual([1, ""]);
    expect(refused.stderr).toMatch(
      /^infermark: bench\.headers\.X-Custom-Token: a credential in a spec file is committed with it; /,
    );
    expect(refused.stderr.includes("tok-written-4408")).toBe(false);
  });
});
