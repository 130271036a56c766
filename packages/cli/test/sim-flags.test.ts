import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliInProcess, tempDir } from "./helpers.js";

/** The flags of DeepSeek-R1 on 8 H200. */
const DSR1_H200 = ["--model", "dsr1", "--hardware", "h200", "--tp", "8"];

/** `sim predict` of DSR1_H200 with a short workload; later flags win over the same flags here. */
const predict = (...flags: string[]) => [
  ...["sim", "predict", ...DSR1_H200],
  ...["--isl", "1024", "--osl", "64", "--requests", "2"],
  ...flags,
];

/** A refused command's exit code, output and one-line message, with `infermark: ` left out. */
async function refused(args: readonly string[]): Promise<[number | null, string, string]> {
  const r = await runCliInProcess(args);
  return [r.code, r.stdout, r.stderr.replace(/^infermark: /, "")];
}

const GPUS = "h100, h200, b200, b300, gb200, gb300, mi300x, mi325x, mi355x";
const MODELS =
  "a catalog model (dsr1, llama70b, gptoss120b), its Hugging Face id, or a config.json";

describe("sim predict / explain / serve refuse bad flags in one line, exit 2", () => {
  it("names an unknown --model or --hardware with the catalog entries closest to it (it listed every key, exit 1)", async () => {
    const cases: [string[], string][] = [
      [["--model", "dsr2"], `--model dsr2: unknown model (did you mean dsr1?); give ${MODELS}`],
      [["--model", "DSR1"], `--model DSR1: unknown model (did you mean dsr1?); give ${MODELS}`],
      // a Hugging Face id the catalog does not hold: it said "cannot read (ENOENT ...)"
      [
        ["--model", "deepseek-ai/DeepSeek-R1"],
        `--model deepseek-ai/DeepSeek-R1: no such file, nor a catalog model's Hugging Face id (did you mean deepseek-ai/DeepSeek-R1-0528?); give ${MODELS}`,
      ],
      [
        ["--hardware", "h20"],
        `--hardware h20: unknown GPU (did you mean h200?); give a catalog GPU (${GPUS}) or a GPU spec file`,
      ],
      [
        ["--hardware", "rtx4090"],
        `--hardware rtx4090: unknown GPU; give a catalog GPU (${GPUS}) or a GPU spec file`,
      ],
    ];
    for (const [flags, message] of cases)
      expect(await refused(predict(...flags))).toEqual([2, "", `${message}\n`]);
    // serve and explain read the same flags
    expect(
      await refused(["sim", "serve", "--model", "dsr2", "--hardware", "h200", "--port", "0"]),
    ).toEqual([2, "", `--model dsr2: unknown model (did you mean dsr1?); give ${MODELS}\n`]);
    // a blank served name, which no client can ask for: the simulator refused it without naming the flag, exit 1
    const blank = await runCliInProcess(["sim", "serve", ...DSR1_H200, "--served-model-name", " "]);
    expect([blank.code, blank.stderr]).toEqual([
      2,
      `error: option '--served-model-name <name>' argument ' ' is invalid. --served-model-name expects a name, got " " (run with --help for usage)\n`,
    ]);
    // a catalog model's Hugging Face id and a GPU key in capitals are the catalog's
    const byId = await runCliInProcess(
      predict("--model", "deepseek-ai/DeepSeek-R1-0528", "--hardware", "H200", "--json"),
    );
    expect(byId.code).toBe(0);
    expect(JSON.parse(byId.stdout)[0].config.model).toBe("dsr1");
  });

  it("names the flag before a --model or --hardware file that is missing, not JSON or not a spec, exit 1 as for any file (it named the file alone)", async () => {
    const { dir, cleanup } = await tempDir("infermark-sim-flags-");
    const broken = join(dir, "config.json");
    await writeFile(broken, "{not json");
    expect(await refused(predict("--model", broken))).toEqual([
      1,
      "",
      `--model ${broken}: malformed JSON (Expected property name or '}' in JSON at position 1; line 1, column 2)\n`,
    ]);
    const missing = join(dir, "nope", "config.json");
    expect(await refused(predict("--model", missing))).toEqual([
      1,
      "",
      `--model ${missing}: cannot read (ENOENT: no such file or directory, open '${missing}')\n`,
    ]);
    const partial = join(dir, "h20.yaml");
    await writeFile(partial, "hbmGb: 96\nhbmTbps: 4\ntflops: { bf16: 148, fp8: 296 }\n");
    expect(await refused(predict("--hardware", partial))).toEqual([
      1,
      "",
      `--hardware ${partial}: GPU spec misses scaleUpGBps, scaleUpDomain, nicGbps\n`,
    ]);
    await cleanup();
  });

  it("refuses --gpus that --tp x --pp does not divide, naming the flags (the simulator's 'gpus 8 ... tp x pp', exit 1)", async () => {
    expect(await refused(predict("--gpus", "8", "--tp", "3"))).toEqual([
      2,
      "",
      "--gpus 8 is not a multiple of --tp 3: each worker takes --tp x --pp GPUs; give a multiple of 3, or another --tp/--pp\n",
    ]);
    expect(await refused(["sim", "explain", ...DSR1_H200, "--gpus", "16", "--pp", "3"])).toEqual([
      2,
      "",
      "--gpus 16 is not a multiple of --tp 8 x --pp 3 = 24: each worker takes --tp x --pp GPUs; give a multiple of 24, or another --tp/--pp\n",
    ]);
    // two workers of TP8
    const two = await runCliInProcess(predict("--gpus", "16", "--concurrency", "1", "--json"));
    const { topology } = JSON.parse(two.stdout)[0].config;
    expect([two.code, topology.gpus, topology.prefill.workers]).toEqual([0, 16, 2]);
  });

  it("refuses a workload or step longer than the model's context, and a prefix longer than the prompt, naming the flags", async () => {
    expect(await refused(predict("--isl", "163800", "--osl", "41"))).toEqual([
      2,
      "",
      "--isl 163800 + --osl 41 = 163841 tokens exceed the context length of dsr1, 163840 tokens: give at most 163840 in all\n",
    ]);
    expect(await refused(predict("--prefix-length", "2000"))).toEqual([
      2,
      "",
      "--prefix-length 2000 is longer than --isl 1024: the prompts share at most their whole length\n",
    ]);
    const explain = ["sim", "explain", ...DSR1_H200];
    expect(await refused([...explain, "--context", "163841"])).toEqual([
      2,
      "",
      "--context 163841 exceeds the context length of dsr1, 163840 tokens: give at most 163840\n",
    ]);
    expect(await refused([...explain, "--prefill", "200000"])).toEqual([
      2,
      "",
      "--prefill 200000 exceeds the context length of dsr1, 163840 tokens: give at most 163840\n",
    ]);
  });

  it("refuses a level given twice (it was predicted twice and printed as two equal rows)", async () => {
    expect(await refused(predict("--concurrency", "1,2,1"))).toEqual([
      2,
      "",
      "--concurrency gives 1 twice: give each level once\n",
    ]);
    expect(await refused(predict("--rate", "0.5,0.5"))).toEqual([
      2,
      "",
      "--rate gives 0.5 twice: give each level once\n",
    ]);
  });
});
