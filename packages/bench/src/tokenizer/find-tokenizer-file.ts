import { readdir, readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { TokenizerError } from "../errors.js";

/** Where `findTokenizerFile` looks: relative paths from `cwd`, the Hugging Face cache from `env`. */
export interface TokenizerLookup {
  /** @default process.cwd() */
  cwd?: string;
  /** `HF_HUB_CACHE`, `HF_HOME`, `XDG_CACHE_HOME`. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The home folder, for `~` and the default cache. @default os.homedir() */
  home?: string;
}

/** A Hugging Face model id, `org/name`: one slash, no `.` or `..` as a part, nothing a path would add. */
const HF_ID = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;
/** A revision as `refs/main` names it (a commit hash): a single folder name. */
const REVISION = /^[\w.-]+$/;

/**
 * The tokenizer.json that `--tokenizer <spec>` names, read from disk only (infermark never downloads): `spec` itself
 * when it is a file, `spec/tokenizer.json` when it is a folder (a model's), else, for a Hugging Face id `org/name`,
 * the one in the local Hugging Face cache (`hfHubCache`): `models--org--name/snapshots/<rev>/tokenizer.json`, `<rev>`
 * from `refs/main`, or the only snapshot holding one. Throws a one-line `TokenizerError` naming what was tried.
 * @example await findTokenizerFile("deepseek-ai/DeepSeek-R1") // "/root/.cache/huggingface/hub/models--deepseek-ai--DeepSeek-R1/snapshots/<rev>/tokenizer.json"
 */
export async function findTokenizerFile(
  spec: string,
  lookup: TokenizerLookup = {},
): Promise<string> {
  const path = resolve(lookup.cwd ?? process.cwd(), spec);
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (!(found instanceof Error)) {
    if (!found.isDirectory()) return path;
    const inside = join(path, "tokenizer.json");
    if (await isFile(inside)) return inside;
    throw new TokenizerError(
      `--tokenizer: the folder ${spec} holds no tokenizer.json; give the model's folder or its tokenizer.json`,
    );
  }
  if (found.code !== "ENOENT" && found.code !== "ENOTDIR")
    throw new TokenizerError(`--tokenizer: cannot read ${spec} (${found.message})`, {
      cause: found,
    });
  if (!HF_ID.test(spec) || spec.split("/").some((part) => /^\.+$/.test(part)))
    throw new TokenizerError(
      `--tokenizer: ${spec}: no such file or folder (give builtin, server, a tokenizer.json, a model's folder holding one, or a Hugging Face id org/name in the local cache)`,
    );
  return cachedTokenizerFile(spec, lookup);
}

/**
 * The local Hugging Face hub cache as huggingface_hub finds it: `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else
 * `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub`; `from` says which (an empty variable is unset).
 * @example hfHubCache({ HF_HOME: "/data/hf" }).dir // "/data/hf/hub"
 */
export function hfHubCache(
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = homedir(),
): { dir: string; from: string } {
  const expand = (p: string) => (p === "~" || p.startsWith("~/") ? join(home, p.slice(1)) : p);
  if (env.HF_HUB_CACHE) return { dir: expand(env.HF_HUB_CACHE), from: "$HF_HUB_CACHE" };
  if (env.HF_HOME) return { dir: join(expand(env.HF_HOME), "hub"), from: "$HF_HOME/hub" };
  if (env.XDG_CACHE_HOME)
    return {
      dir: join(expand(env.XDG_CACHE_HOME), "huggingface", "hub"),
      from: "$XDG_CACHE_HOME/huggingface/hub",
    };
  return { dir: join(home, ".cache", "huggingface", "hub"), from: "the default" };
}

async function cachedTokenizerFile(id: string, lookup: TokenizerLookup): Promise<string> {
  const cache = hfHubCache(lookup.env ?? process.env, lookup.home ?? homedir());
  const repo = `models--${id.replace("/", "--")}`;
  const repoDir = join(cache.dir, repo);
  const refusal = (
    what: string,
    fix = `run \`huggingface-cli download ${id} tokenizer.json tokenizer_config.json\` or pass a tokenizer.json or a model's folder`,
  ) =>
    new TokenizerError(
      `--tokenizer: ${id} is no file or folder here and the Hugging Face cache (${cache.dir}, ${cache.from}) ${what}; infermark never downloads: ${fix}`,
    );
  const main = (await readFile(join(repoDir, "refs", "main"), "utf8").catch(() => "")).trim();
  if (REVISION.test(main)) {
    const file = join(repoDir, "snapshots", main, "tokenizer.json");
    if (await isFile(file)) return file;
    throw refusal(`has no tokenizer.json in ${repo}/snapshots/${main} (refs/main)`);
  }
  const revisions = await readdir(join(repoDir, "snapshots")).catch(() => undefined);
  if (revisions === undefined) throw refusal(`has no ${repo}`);
  const holding: string[] = [];
  for (const rev of revisions.sort()) {
    if (await isFile(join(repoDir, "snapshots", rev, "tokenizer.json"))) holding.push(rev);
  }
  if (holding.length === 1) return join(repoDir, "snapshots", holding[0]!, "tokenizer.json");
  if (holding.length === 0) throw refusal(`has no tokenizer.json in ${repo}/snapshots`);
  throw refusal(
    `has ${holding.length} snapshots of it holding tokenizer.json (${holding.join(", ")}) and no refs/main to choose`,
    `pass the one meant as ${join(repoDir, "snapshots", "<rev>")}`,
  );
}

const isFile = (path: string) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
