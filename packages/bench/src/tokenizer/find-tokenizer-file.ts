import { readdir, readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { TokenizerError } from "../errors.js";

/** Where `findTokenizerFile` looks: relative paths from `cwd`, the Hugging Face cache from `env`. */
export interface TokenizerLookup {
  /** @default process.cwd() */
  cwd?: string;
  /** `HF_HUB_CACHE`, `HUGGINGFACE_HUB_CACHE`, `HF_HOME`, `XDG_CACHE_HOME`, and what they name. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The home folder, for `~` and the default cache. @default os.homedir() */
  home?: string;
}

/**
 * A Hugging Face model id as huggingface_hub's `validate_repo_id` takes it, `org/name` or `name` (`gpt2`): each part
 * of `\w . -`, starting and ending with `\w`, the name 1-96 long, no `--` or `..` anywhere.
 */
const HF_ID = /^(?:\w(?:[\w.-]*\w)?\/)?\w(?:[\w.-]{0,94}\w)?$/;
/** A revision as `refs/main` names it (a commit hash): a single folder name. */
const REVISION = /^[\w.-]+$/;

/** Where `--tokenizer <spec>` was found: the tokenizer.json, and what names it anywhere (`resolveTokenizer`). */
export interface FoundTokenizer {
  /** The tokenizer.json's absolute path. */
  file: string;
  /**
   * The absolute path of the file or folder given, or for an id read from the cache `org/name@<rev>`, `<rev>` the
   * snapshot's folder name (a commit hash): the same on any machine, and a folder `org/name` is not the id.
   */
  source: string;
}

/**
 * The tokenizer.json that `--tokenizer <spec>` names, read from disk only (infermark never downloads): `spec` itself
 * when it is a file, `spec/tokenizer.json` when it is a folder (a model's), else, for a Hugging Face id (`org/name`,
 * `gpt2`), the one in the local Hugging Face cache (`hfHubCache`): `models--org--name/snapshots/<rev>/tokenizer.json`
 * (`models--gpt2/...`), `<rev>` from `refs/main`, or the only snapshot holding one. Throws a one-line
 * `TokenizerError` naming what was tried.
 * @example await findTokenizerFile("deepseek-ai/DeepSeek-R1") // "/root/.cache/huggingface/hub/models--deepseek-ai--DeepSeek-R1/snapshots/<rev>/tokenizer.json"
 */
export async function findTokenizerFile(
  spec: string,
  lookup: TokenizerLookup = {},
): Promise<string> {
  return (await resolveTokenizer(spec, lookup)).file;
}

/**
 * `findTokenizerFile` with what names the tokenizer anywhere (`FoundTokenizer.source`).
 * @example (await resolveTokenizer("gpt2")).source // "gpt2@<rev>"
 */
export async function resolveTokenizer(
  spec: string,
  lookup: TokenizerLookup = {},
): Promise<FoundTokenizer> {
  const path = resolve(lookup.cwd ?? process.cwd(), spec);
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (!(found instanceof Error)) {
    if (!found.isDirectory()) return { file: path, source: path };
    const inside = join(path, "tokenizer.json");
    if (await isFile(inside)) return { file: inside, source: path };
    throw new TokenizerError(
      `--tokenizer: the folder ${spec} holds no tokenizer.json; give the model's folder or its tokenizer.json`,
    );
  }
  if (found.code !== "ENOENT" && found.code !== "ENOTDIR")
    throw new TokenizerError(`--tokenizer: cannot read ${spec} (${found.message})`, {
      cause: found,
    });
  // a name ending in .json is a file that is not there, whatever the cache holds
  if (!HF_ID.test(spec) || /--|\.\.|\.json$/.test(spec))
    throw new TokenizerError(
      `--tokenizer: ${spec}: no such file or folder (give builtin, server, a tokenizer.json, a model's folder holding one, or a Hugging Face id, org/name or name, in the local cache)`,
    );
  return cachedTokenizer(spec, lookup);
}

/**
 * The local Hugging Face hub cache as huggingface_hub's `constants.py` finds it: `$HF_HUB_CACHE`, else the legacy
 * `$HUGGINGFACE_HUB_CACHE`, else `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else
 * `~/.cache/huggingface/hub`; `from` says which. As there, a leading `~` and then `$VAR` and `${VAR}` (from `env`;
 * an unknown one kept as written) are expanded; unlike there, an empty variable is unset.
 * @example hfHubCache({ HF_HOME: "$DATA/hf", DATA: "/data" }).dir // "/data/hf/hub"
 */
export function hfHubCache(
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = homedir(),
): { dir: string; from: string } {
  const expand = (p: string) =>
    (p === "~" || p.startsWith("~/") ? join(home, p.slice(1)) : p).replace(
      /\$(\w+|\{[^}]*\})/g,
      (written, name: string) => env[name.replace(/^\{(.*)\}$/, "$1")] ?? written,
    );
  if (env.HF_HUB_CACHE) return { dir: expand(env.HF_HUB_CACHE), from: "$HF_HUB_CACHE" };
  if (env.HUGGINGFACE_HUB_CACHE)
    return { dir: expand(env.HUGGINGFACE_HUB_CACHE), from: "$HUGGINGFACE_HUB_CACHE" };
  if (env.HF_HOME) return { dir: join(expand(env.HF_HOME), "hub"), from: "$HF_HOME/hub" };
  if (env.XDG_CACHE_HOME)
    return {
      dir: join(expand(env.XDG_CACHE_HOME), "huggingface", "hub"),
      from: "$XDG_CACHE_HOME/huggingface/hub",
    };
  return { dir: join(home, ".cache", "huggingface", "hub"), from: "the default" };
}

async function cachedTokenizer(id: string, lookup: TokenizerLookup): Promise<FoundTokenizer> {
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
  const snapshot = (rev: string) => ({
    file: join(repoDir, "snapshots", rev, "tokenizer.json"),
    source: `${id}@${rev}`,
  });
  const main = (await readFile(join(repoDir, "refs", "main"), "utf8").catch(() => "")).trim();
  if (REVISION.test(main)) {
    const found = snapshot(main);
    if (await isFile(found.file)) return found;
    throw refusal(`has no tokenizer.json in ${repo}/snapshots/${main} (refs/main)`);
  }
  const revisions = await readdir(join(repoDir, "snapshots")).catch(() => undefined);
  if (revisions === undefined) throw refusal(`has no ${repo}`);
  const holding: string[] = [];
  for (const rev of revisions.sort()) {
    if (await isFile(join(repoDir, "snapshots", rev, "tokenizer.json"))) holding.push(rev);
  }
  if (holding.length === 1) return snapshot(holding[0]!);
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
