/**
 * Reading a dataset file larger than the longest string JavaScript holds (2^29 - 24 characters, about 512 MiB):
 * the ShareGPT file most serving benchmarks use, ShareGPT_V3_unfiltered_cleaned_split.json, is over 600 MB. Writes a
 * ShareGPT-format file of `--mb` MB (default 640) and a JSONL file of the same entries into a temporary folder, then
 * measures each as `infermark bench` and `infermark sweep plan` read them (`fileWorkloadStats`, builtin tokenizer:
 * every entry parsed and tokenized): wall time, entries, mean lengths and the process's peak RSS. The files are
 * removed afterwards. Each file is read in a process of its own. Run: npm run perf:dataset [-- --mb 640]
 */
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { builtinTokenizer, fileWorkloadStats } from "@infermark/bench";

const mbArg = process.argv.indexOf("--mb");
const targetBytes = (mbArg > 0 ? Number(process.argv[mbArg + 1]) : 640) * 1e6;
if (!(targetBytes > 0)) throw new Error("--mb needs a positive number");

const words =
  "the quick brown fox jumps over a lazy dog while inference servers stream tokens to users who wait".split(
    " ",
  );
/** Entry i of the synthetic dataset: a prompt of 150-450 words and a reply of 200-700, some non-ASCII text. */
function entry(i: number): { prompt: string; reply: string } {
  const text = (n: number, step: number) =>
    Array.from({ length: n }, (_, k) => words[(i * step + k) % words.length]).join(" ");
  return {
    prompt: `${text(150 + (i % 300), 7)} é中😀`,
    reply: text(200 + (i % 500), 3),
  };
}

async function writeFiles(dir: string): Promise<{ sharegpt: string; jsonl: string }> {
  const sharegpt = join(dir, "sharegpt.json");
  const jsonl = join(dir, "requests.jsonl");
  const a = createWriteStream(sharegpt);
  const b = createWriteStream(jsonl);
  const write = async (stream: ReturnType<typeof createWriteStream>, text: string) => {
    if (!stream.write(text)) await once(stream, "drain");
  };
  await write(a, "[");
  let bytes = 0;
  for (let i = 0; bytes < targetBytes; i++) {
    const { prompt, reply } = entry(i);
    const conversation = JSON.stringify({
      id: `c${i}`,
      conversations: [
        { from: "human", value: prompt },
        { from: "gpt", value: reply },
      ],
    });
    const text = `${i > 0 ? ",\n" : ""}${conversation}`;
    bytes += Buffer.byteLength(text);
    await write(a, text);
    await write(b, `${JSON.stringify({ prompt, max_tokens: 200 + (i % 500) })}\n`);
  }
  await write(a, "]");
  a.end();
  b.end();
  await Promise.all([once(a, "close"), once(b, "close")]);
  return { sharegpt, jsonl };
}

/** One file measured in this process, so that the peak RSS is that reading's alone. */
async function measure(format: "sharegpt" | "jsonl", path: string): Promise<void> {
  const t0 = performance.now();
  const stats = await fileWorkloadStats({ path, format, tokenizer: builtinTokenizer() });
  console.log(
    JSON.stringify({
      bench: `fileWorkloadStats ${format}`,
      node: process.version,
      fileMB: Math.round((await stat(path)).size / 1e6),
      entries: stats.requests,
      isl: stats.isl,
      osl: stats.osl,
      wallS: Number(((performance.now() - t0) / 1000).toFixed(1)),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

const measureArg = process.argv.indexOf("--measure");
if (measureArg > 0) {
  await measure(
    process.argv[measureArg + 1] as "sharegpt" | "jsonl",
    process.argv[measureArg + 2]!,
  );
} else {
  const dir = await mkdtemp(join(tmpdir(), "infermark-large-dataset-"));
  try {
    const files = await writeFiles(dir);
    for (const format of ["sharegpt", "jsonl"] as const) {
      const script = fileURLToPath(import.meta.url);
      const args = [...process.execArgv, script, "--measure", format, files[format]];
      process.stdout.write(execFileSync(process.execPath, args, { encoding: "utf8" }));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
