// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} is a GitHub Actions expression
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { runCli, tempDir } from "./helpers.js";
import { simSpec } from "./sim-spec.js";
import { findStep, type Workflow } from "./workflow-steps.js";

// A DCGM exporter behind a proxy that asks for a user and password: the spec, committed, may not hold them (nor a
// token in the URL's query); the sweep reads the URL with them from INFERMARK_DCGM_URL, and shows it nowhere.

const PASSWORD = "pw-dcgm-secret-4417";
const TOKEN = "tk-dcgm-secret-9902";
/** One simulator point whose power is read from a DCGM exporter at `dcgmUrl`. */
const dcgmSpec = (dcgmUrl: string) => simSpec({ power: "dcgm", dcgmUrl });
const POWER = Array.from({ length: 8 }, (_, gpu) => `DCGM_FI_DEV_POWER_USAGE{gpu="${gpu}"} 500\n`);

describe("infermark sweep: the DCGM exporter's credentials come from the environment, never from the spec", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  /** What each request to the exporter sent as Authorization. */
  const seen: (string | undefined)[] = [];
  let exporter: ReturnType<typeof createServer>;
  let url: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-dcgm-"));
    await mkdir(join(dir, ".git"));
    exporter = createServer((req, res) => {
      seen.push(req.headers.authorization);
      const ok =
        req.headers.authorization === `Basic ${Buffer.from(`me:${PASSWORD}`).toString("base64")}`;
      res.writeHead(ok ? 200 : 401, { "content-type": "text/plain" });
      res.end(ok ? POWER.join("") : "unauthorized");
    });
    await new Promise<void>((resolve) => exporter.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(exporter.address() as AddressInfo).port}/metrics`;
  });
  afterAll(async () => {
    await new Promise((resolve) => exporter.close(resolve));
    await cleanup();
  });

  /** Every file under `folder` with its text, and whether any holds one of the secrets. */
  async function secretsUnder(folder: string): Promise<string[]> {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    const found: string[] = [];
    for (const e of entries.filter((x) => x.isFile())) {
      const text = await readFile(join(e.parentPath, e.name), "utf8");
      if (text.includes(PASSWORD) || text.includes(TOKEN)) found.push(e.name);
    }
    return found;
  }

  it("refuses a user and password, or a token, in the spec's dcgmUrl at plan time, in one line that repeats neither", async () => {
    const withUser = url.replace("http://", `http://me:${PASSWORD}@`);
    const cases: [string, string][] = [
      [
        withUser,
        "a user and password in a spec file are committed with it; give the URL without them",
      ],
      [
        `${url}?gpu=0&token=${TOKEN}`,
        "a credential in its query (token=) in a spec file is committed with it; give the URL without it",
      ],
    ];
    for (const [dcgmUrl, what] of cases) {
      const spec = join(dir, "in-spec.yaml");
      await writeFile(spec, stringify(dcgmSpec(dcgmUrl)));
      const out = join(dir, "in-spec");
      for (const args of [
        ["plan", spec],
        ["sweep", spec, "--output-dir", out, "--no-ingest"],
      ]) {
        const r = await runCli(args);
        // before, the plan passed and the sweep read the URL: the password was committed with the spec
        expect([args[0], r.code, r.stdout, r.stderr]).toEqual([
          args[0],
          1,
          "",
          `infermark: dcgmUrl: ${what}, and the credentials from the environment: the whole URL with them in the environment variable INFERMARK_DCGM_URL, which the sweep reads in place of dcgmUrl (a Slurm job inherits it, or exports it in executor.slurm.setup)\n`,
        ]);
      }
      expect(existsSync(out)).toBe(false);
    }
    expect(seen).toEqual([]);
  });

  it("reads the exporter at INFERMARK_DCGM_URL, its user and password sent as Basic auth, and writes them nowhere", async () => {
    const spec = join(dir, "from-env.yaml");
    await writeFile(spec, stringify(dcgmSpec(url)));
    // without the variable the exporter refuses the sweep's probe
    const refused = await runCli([
      "sweep",
      spec,
      "--output-dir",
      join(dir, "no-env"),
      "--no-ingest",
    ]);
    expect([refused.code, refused.stdout, refused.stderr]).toEqual([
      1,
      "",
      `infermark: power: dcgm is not available: ${url} answered 401; use --power auto (none when no source answers) or none, or give the exporter's URL (--dcgm-url, the spec's dcgmUrl)\n`,
    ]);
    seen.length = 0;
    const out = join(dir, "from-env");
    const withUser = url.replace("http://", `http://me:${PASSWORD}@`);
    const r = await runCli(["sweep", spec, "--output-dir", out, "--no-ingest"], {
      env: { INFERMARK_DCGM_URL: withUser },
    });
    // before, the variable was not read: refused as above
    expect([r.code, r.stdout.split("\n")[0]]).toEqual([
      0,
      `1 measured, 0 already measured, 0 failed; results in ${out}`,
    ]);
    const point = JSON.parse(
      await readFile(
        join(out, "dsr1-h200-sim-fp8-tp8-256x64", "dsr1-h200-sim-fp8-tp8-256x64-c1.json"),
        "utf8",
      ),
    );
    // the level may be shorter than a poll: whether its energy is valid is not what this asks
    expect([point.energy.kind, point.energy.sampler]).toEqual(["measured", "dcgm"]);
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(
      new Set([`Basic ${Buffer.from(`me:${PASSWORD}`).toString("base64")}`]),
    );
    expect(await secretsUnder(out)).toEqual([]);
    expect(`${r.stdout}${r.stderr}`).not.toContain(PASSWORD);
  });

  it("refuses a --dcgm-url with credentials that Slurm jobs would have in their batch scripts; an INFERMARK_DCGM_URL that is no URL", async () => {
    const spec = join(dir, "slurm.yaml");
    await writeFile(spec, stringify(dcgmSpec(url)));
    const out = join(dir, "slurm");
    const withUser = url.replace("http://", `http://me:${PASSWORD}@`);
    const r = await runCli([
      "sweep",
      spec,
      "--executor",
      "slurm",
      "--output-dir",
      out,
      "--no-ingest",
      "--dcgm-url",
      withUser,
    ]);
    // before, `--dcgm-url http://me:...@...` was written into <out>/slurm/<server>.sbatch
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      "infermark: --dcgm-url: a user and password would be written into each Slurm job's batch script; give the URL in INFERMARK_DCGM_URL instead, which the jobs inherit from this environment (or export in executor.slurm.setup)\n",
    ]);
    expect(existsSync(out)).toBe(false);
    const bad = await runCli(["sweep", spec, "--output-dir", out, "--no-ingest"], {
      env: { INFERMARK_DCGM_URL: `ftp://me:${PASSWORD}@gpu-1/metrics` },
    });
    expect([bad.code, bad.stdout, bad.stderr]).toEqual([
      1,
      "",
      "infermark: INFERMARK_DCGM_URL: expects an http(s) URL such as http://host:9400/metrics, with user:password@ before the host for Basic auth (its value is not shown: it may hold a credential)\n",
    ]);
  });

  it("shows a --dcgm-url that does not answer without its query's token", async () => {
    const spec = join(dir, "token.yaml");
    await writeFile(spec, stringify(simSpec({ power: "dcgm" })));
    const r = await runCli([
      "sweep",
      spec,
      "--output-dir",
      join(dir, "token"),
      "--no-ingest",
      "--dcgm-url",
      `http://127.0.0.1:9/metrics?token=${TOKEN}`,
    ]);
    // before, the token was shown
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      "infermark: power: dcgm is not available: no DCGM exporter at http://127.0.0.1:9/metrics?token=*** (fetch failed); use --power auto (none when no source answers) or none, or give the exporter's URL (--dcgm-url, the spec's dcgmUrl)\n",
    ]);
  });

  it("GitHub: the measuring step sets INFERMARK_DCGM_URL from the secret of its name where the spec reads DCGM", async () => {
    const spec = join(dir, "workflow.yaml");
    await writeFile(spec, stringify(dcgmSpec(url)));
    const workflow = join(dir, "workflow.yml");
    const r = await runCli(["sweep", spec, "--executor", "github", "--workflow", workflow], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(
      findStep(parseYaml(await readFile(workflow, "utf8")) as Workflow, "sweep", "Measure").env,
    ).toEqual({
      HF_TOKEN: "${{ secrets.HF_TOKEN }}",
      INFERMARK_API_KEY: "${{ secrets.INFERMARK_API_KEY }}",
      INFERMARK_DCGM_URL: "${{ secrets.INFERMARK_DCGM_URL }}",
    });
  });
});
