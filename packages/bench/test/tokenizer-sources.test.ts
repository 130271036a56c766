import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findTokenizerFile, hfHubCache, loadHfTokenizer, TokenizerError } from "../src/index.js";

const TINY = new URL("fixtures/tiny-tokenizer/tokenizer.json", import.meta.url).pathname;
const ID = "deepseek-ai/DeepSeek-R1";
const REPO = "models--deepseek-ai--DeepSeek-R1";
const OLD = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
const NEW = "fedcba9876543210fedcba9876543210fedcba98";
const template = (name: string) =>
  `{% for m in messages %}${name}:{{ m['content'] }};{% endfor %}{% if add_generation_prompt %}a:{% endif %}`;

let root: string;
let tiny: string;

/** Writes `files` (name to text) into `dir`, made first. */
async function writeFiles(dir: string, files: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

/**
 * A Hugging Face hub cache as huggingface_hub lays it out: each snapshot's files are links to `blobs/`, `refs/main`
 * names the revision `main` resolves to (left out when `main` is undefined).
 */
async function hubCache(
  name: string,
  snapshots: Record<string, Record<string, string>>,
  main?: string,
): Promise<string> {
  const cache = join(root, name);
  const repo = join(cache, REPO);
  await mkdir(join(repo, "blobs"), { recursive: true });
  for (const [rev, files] of Object.entries(snapshots)) {
    await mkdir(join(repo, "snapshots", rev), { recursive: true });
    for (const [file, text] of Object.entries(files)) {
      const blob = `${rev}-${file}`;
      await writeFile(join(repo, "blobs", blob), text);
      await symlink(join("..", "..", "blobs", blob), join(repo, "snapshots", rev, file));
    }
  }
  if (main !== undefined) await writeFiles(join(repo, "refs"), { main: `${main}\n` });
  return cache;
}

const refusal = (run: Promise<unknown>, message: string) =>
  expect(run).rejects.toThrow(new TokenizerError(message));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "infermark-tokenizer-sources-"));
  tiny = await readFile(TINY, "utf8");
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("--tokenizer names a tokenizer.json on disk", () => {
  it("reads a tokenizer.json file, named by its absolute path", async () => {
    const t = await loadHfTokenizer(TINY);
    expect([t.name, await t.encode("hello"), t.chatTemplate]).toEqual([
      `hf:${TINY}`,
      [30, 12, 33],
      undefined,
    ]);
  });

  it("reads a model's folder: its tokenizer.json and the chat template beside it, named by its path", async () => {
    const dir = await writeFiles(join(root, "DeepSeek-R1"), {
      "tokenizer.json": tiny,
      "tokenizer_config.json": JSON.stringify({ chat_template: template("config") }),
    });
    const t = await loadHfTokenizer(dir);
    expect([t.name, await t.encode("hello"), t.chatTemplate]).toEqual([
      `hf:${dir}`,
      [30, 12, 33],
      join(dir, "tokenizer_config.json"),
    ]);
    expect(t.renderChat?.([{ role: "user", content: "hi" }])).toBe("config:hi;a:");
    // chat_template.jinja wins over the config, as for a tokenizer.json path
    await writeFiles(dir, { "chat_template.jinja": template("jinja") });
    const withJinja = await loadHfTokenizer(`${dir}/`);
    expect(withJinja.name).toBe(`hf:${dir}`);
    expect(withJinja.chatTemplate).toBe(join(dir, "chat_template.jinja"));
    expect(withJinja.renderChat?.([{ role: "user", content: "hi" }])).toBe("jinja:hi;a:");
  });

  it("reads a relative path from the working folder, before looking in the cache, named absolute", async () => {
    // a folder that looks like a Hugging Face id is the folder
    await writeFiles(join(root, "cwd", "deepseek-ai", "DeepSeek-R1"), { "tokenizer.json": tiny });
    const empty = join(root, "no-cache");
    const lookup = { cwd: join(root, "cwd"), env: { HF_HUB_CACHE: empty } };
    expect(await findTokenizerFile(ID, lookup)).toBe(
      join(root, "cwd", "deepseek-ai", "DeepSeek-R1", "tokenizer.json"),
    );
    // the folder org/name and the cached id org/name are told apart by their names
    expect((await loadHfTokenizer(ID, lookup)).name).toBe(
      `hf:${join(root, "cwd", "deepseek-ai", "DeepSeek-R1")}`,
    );
    const t = await loadHfTokenizer("deepseek-ai/DeepSeek-R1/tokenizer.json", lookup);
    expect(t.name).toBe(`hf:${join(root, "cwd", "deepseek-ai", "DeepSeek-R1", "tokenizer.json")}`);
    // a one-part name is a file or folder when there is one
    await writeFiles(join(root, "cwd", "gpt2"), { "tokenizer.json": tiny });
    expect((await loadHfTokenizer("gpt2", lookup)).name).toBe(`hf:${join(root, "cwd", "gpt2")}`);
  });

  it("refuses a folder without tokenizer.json, and a path that is nothing, in one line", async () => {
    const dir = await writeFiles(join(root, "weights-only"), { "config.json": "{}" });
    await refusal(
      loadHfTokenizer(dir),
      `--tokenizer: the folder ${dir} holds no tokenizer.json; give the model's folder or its tokenizer.json`,
    );
    const missing = join(root, "nowhere", "tokenizer.json");
    const nothing = (spec: string) =>
      `--tokenizer: ${spec}: no such file or folder (give builtin, server, a tokenizer.json, a model's folder holding one, or a Hugging Face id, org/name or name, in the local cache)`;
    await refusal(loadHfTokenizer(missing), nothing(missing));
    // names no Hugging Face id can have are paths
    const lookup = { cwd: root, env: { HF_HUB_CACHE: join(root, "no-cache") } };
    for (const spec of ["tokenizer.json", "./gpt2", "org/name/x", "a--b/c", "org/.name", "-gpt2"])
      await refusal(loadHfTokenizer(spec, lookup), nothing(spec));
  });
});

describe("--tokenizer org/name reads the local Hugging Face cache", () => {
  it("finds the cache as huggingface_hub does", () => {
    const home = "/home/u";
    expect(hfHubCache({ HF_HUB_CACHE: "/a", HF_HOME: "/b", XDG_CACHE_HOME: "/c" }, home)).toEqual({
      dir: "/a",
      from: "$HF_HUB_CACHE",
    });
    expect(hfHubCache({ HF_HUB_CACHE: "", HF_HOME: "/b", XDG_CACHE_HOME: "/c" }, home)).toEqual({
      dir: "/b/hub",
      from: "$HF_HOME/hub",
    });
    expect(hfHubCache({ XDG_CACHE_HOME: "/c" }, home)).toEqual({
      dir: "/c/huggingface/hub",
      from: "$XDG_CACHE_HOME/huggingface/hub",
    });
    expect(hfHubCache({ HF_HOME: "~/hf" }, home).dir).toBe("/home/u/hf/hub");
    // the legacy HUGGINGFACE_HUB_CACHE (TGI's images set it) between HF_HUB_CACHE and HF_HOME
    expect(hfHubCache({ HUGGINGFACE_HUB_CACHE: "/l", HF_HOME: "/b" }, home)).toEqual({
      dir: "/l",
      from: "$HUGGINGFACE_HUB_CACHE",
    });
    expect(hfHubCache({ HF_HUB_CACHE: "/a", HUGGINGFACE_HUB_CACHE: "/l" }, home).dir).toBe("/a");
    // ~ then $VAR and ${VAR} expanded, as huggingface_hub's expanduser and expandvars; an unknown variable is kept
    const env = { DATA: "/data", USER_1: "u1" };
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's ${VAR}, as a user writes it
    expect(hfHubCache({ ...env, HF_HUB_CACHE: "$DATA/${USER_1}/hub" }, home).dir).toBe(
      "/data/u1/hub",
    );
    expect(hfHubCache({ ...env, HUGGINGFACE_HUB_CACHE: "~/$NOPE/x" }, home).dir).toBe(
      "/home/u/$NOPE/x",
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's ${VAR}, as a user writes it
    expect(hfHubCache({ ...env, HF_HOME: "${DATA}/hf" }, home).dir).toBe("/data/hf/hub");
    expect(hfHubCache({ ...env, XDG_CACHE_HOME: "$DATA" }, home).dir).toBe("/data/huggingface/hub");
    expect(hfHubCache({}, home)).toEqual({
      dir: "/home/u/.cache/huggingface/hub",
      from: "the default",
    });
  });

  it("reads the snapshot refs/main names, with its chat template, named by the id and revision", async () => {
    const cache = await hubCache(
      "hub-main",
      {
        [OLD]: { "tokenizer.json": tiny, "tokenizer_config.json": JSON.stringify({}) },
        [NEW]: {
          "tokenizer.json": tiny,
          "tokenizer_config.json": JSON.stringify({ chat_template: template("r1") }),
        },
      },
      NEW,
    );
    const snapshot = join(cache, REPO, "snapshots", NEW);
    const t = await loadHfTokenizer(ID, { cwd: root, env: { HF_HUB_CACHE: cache } });
    expect([t.name, await t.encode("hello"), t.chatTemplate]).toEqual([
      `hf:${ID}@${NEW}`,
      [30, 12, 33],
      join(snapshot, "tokenizer_config.json"),
    ]);
    expect(t.renderChat?.([{ role: "user", content: "hi" }])).toBe("r1:hi;a:");
    // $HF_HOME/hub when HF_HUB_CACHE is unset
    const home = join(root, "hf-home");
    await mkdir(home);
    await symlink(cache, join(home, "hub"));
    expect(await findTokenizerFile(ID, { cwd: root, env: { HF_HOME: home } })).toBe(
      join(home, "hub", REPO, "snapshots", NEW, "tokenizer.json"),
    );
  });

  it("without refs/main, reads the one snapshot holding a tokenizer.json", async () => {
    const cache = await hubCache("hub-one", {
      [OLD]: { "config.json": "{}" },
      [NEW]: { "tokenizer.json": tiny },
    });
    expect(await findTokenizerFile(ID, { cwd: root, env: { HF_HUB_CACHE: cache } })).toBe(
      join(cache, REPO, "snapshots", NEW, "tokenizer.json"),
    );
    expect((await loadHfTokenizer(ID, { cwd: root, env: { HF_HUB_CACHE: cache } })).name).toBe(
      `hf:${ID}@${NEW}`,
    );
  });

  it("reads a one-part id (gpt2) from models--gpt2 when no file or folder has its name", async () => {
    const cache = join(root, "hub-gpt2");
    await writeFiles(join(cache, "models--gpt2", "snapshots", OLD), { "tokenizer.json": tiny });
    await writeFiles(join(cache, "models--gpt2", "refs"), { main: OLD });
    const t = await loadHfTokenizer("gpt2", {
      cwd: root,
      env: { HUGGINGFACE_HUB_CACHE: "$ROOT/hub-gpt2", ROOT: root },
    });
    expect([t.name, await t.encode("hello")]).toEqual([`hf:gpt2@${OLD}`, [30, 12, 33]]);
    await refusal(
      loadHfTokenizer("t5-small", { cwd: root, env: { HF_HUB_CACHE: cache } }),
      `--tokenizer: t5-small is no file or folder here and the Hugging Face cache (${cache}, $HF_HUB_CACHE) has no models--t5-small; infermark never downloads: run \`huggingface-cli download t5-small tokenizer.json tokenizer_config.json\` or pass a tokenizer.json or a model's folder`,
    );
  });

  it("refuses in one line what the cache cannot answer, naming what it tried", async () => {
    const tried = (cache: string, what: string) =>
      `--tokenizer: ${ID} is no file or folder here and the Hugging Face cache (${cache}, $HF_HUB_CACHE) ${what}; infermark never downloads: run \`huggingface-cli download ${ID} tokenizer.json tokenizer_config.json\` or pass a tokenizer.json or a model's folder`;
    const load = (cache: string) =>
      loadHfTokenizer(ID, { cwd: root, env: { HF_HUB_CACHE: cache } });
    const empty = join(root, "hub-empty");
    await refusal(load(empty), tried(empty, `has no ${REPO}`));
    const configOnly = await hubCache("hub-config-only", { [NEW]: { "config.json": "{}" } }, NEW);
    await refusal(
      load(configOnly),
      tried(configOnly, `has no tokenizer.json in ${REPO}/snapshots/${NEW} (refs/main)`),
    );
    const noMain = await hubCache("hub-no-main", { [NEW]: { "config.json": "{}" } });
    await refusal(load(noMain), tried(noMain, `has no tokenizer.json in ${REPO}/snapshots`));
    const two = await hubCache("hub-two", {
      [OLD]: { "tokenizer.json": tiny },
      [NEW]: { "tokenizer.json": tiny },
    });
    await refusal(
      load(two),
      `--tokenizer: ${ID} is no file or folder here and the Hugging Face cache (${two}, $HF_HUB_CACHE) has 2 snapshots of it holding tokenizer.json (${OLD}, ${NEW}) and no refs/main to choose; infermark never downloads: pass the one meant as ${join(two, REPO, "snapshots", "<rev>")}`,
    );
  });
});
