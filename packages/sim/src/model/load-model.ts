import { readFileSync } from "node:fs";
import {
  type Catalog,
  DEFAULT_CATALOG,
  type GpuSpec,
  getGpu,
  getModel,
  jsonErrorReason,
  type ModelSpec,
} from "@infermark/core";
import { parse as parseYaml } from "yaml";
import { SimConfigError } from "../errors.js";
import { modelShape } from "../perf/model-shape.js";
import { parseGpuSpec } from "./gpu-spec.js";
import { parseHfConfig } from "./hf-config.js";
import { hfConfigName } from "./hf-config-name.js";

const looksLikePath = (s: string) => s.includes("/") || /\.(json|ya?ml)$/i.test(s);

function readDoc(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new SimConfigError(`${path}: cannot read (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (/\.ya?ml$/i.test(path))
    try {
      return parseYaml(text);
    } catch (error) {
      // the parser's first line says where (`... at line 1, column 6:`); the lines after it quote the file
      const why = (error as Error).message.split("\n", 1)[0];
      throw new SimConfigError(`${path}: malformed YAML (${why})`, { cause: error });
    }
  try {
    return JSON.parse(text);
  } catch (error) {
    // position, line and column, never V8's message where it quotes the file (a key may be in it)
    throw new SimConfigError(`${path}: ${jsonErrorReason(error, text)}`, { cause: error });
  }
}

/**
 * A model from a catalog key, a Hugging Face id in the catalog, or a path to a config.json, whose key is then
 * the model's name (`hfConfigName`), not the path.
 */
export function loadModel(ref: string, catalog: Catalog = DEFAULT_CATALOG): ModelSpec {
  if (
    catalog.models[ref] ||
    Object.values(catalog.models).some((m) => m.hfId === ref) ||
    !looksLikePath(ref)
  )
    return getModel(ref, catalog);
  const doc = readDoc(ref);
  const spec = parseHfConfig(doc, hfConfigName(ref, doc), ref);
  const shape = modelShape(spec);
  spec.activeParamsB = shape.activeLinear / 1e9;
  spec.totalParamsB = shape.total / 1e9;
  return spec;
}

/** A GPU from a catalog key or a YAML/JSON spec file. */
export function loadGpu(ref: string, catalog: Catalog = DEFAULT_CATALOG): GpuSpec {
  if (catalog.gpus[ref.toLowerCase()] || !looksLikePath(ref)) return getGpu(ref, catalog);
  return parseGpuSpec(readDoc(ref), ref);
}
