import { basename, dirname, extname, resolve } from "node:path";

type Json = Record<string, unknown>;

/** A local path rather than a Hugging Face id (`org/name` or `name`). */
const isLocalPath = (s: string) => /^[/.~]|\\/.test(s) || s.split("/").length > 2;

/**
 * The model name of a Hugging Face `config.json` read from `path`, for PointResults' `config.model` (what the
 * dashboard groups by): its `_name_or_path` (or `name_or_path`), the last folder of it when that is a local path;
 * else the folder the file lies in, as snapshots are named after their model (in the hub cache,
 * `models--org--name/snapshots/<revision>/config.json` gives `org/name`); a file with a name of its own
 * (`llama3-8b.json`) gives that name.
 * @example hfConfigName("models/Llama-3.1-8B/config.json", {}) // "Llama-3.1-8B"
 */
export function hfConfigName(path: string, config: unknown): string {
  const c: Json = typeof config === "object" && config !== null ? (config as Json) : {};
  const field = [c._name_or_path, c.name_or_path].find(
    (v): v is string => typeof v === "string" && v.trim() !== "",
  );
  if (field) return isLocalPath(field) ? (field.split(/[/\\]/).findLast(Boolean) ?? field) : field;
  const file = basename(path);
  if (file !== "config.json") return basename(file, extname(file));
  const folder = dirname(resolve(path));
  const [repo, snapshots] = [basename(dirname(dirname(folder))), basename(dirname(folder))];
  if (snapshots === "snapshots" && repo.startsWith("models--"))
    return repo.slice("models--".length).replaceAll("--", "/");
  return basename(folder) || path;
}
