import type { z } from "zod";

/** Zod's internal definition of a schema (zod 4): a plain object whose `type` names the kind of schema. */
type Def = Record<string, unknown> & { type: string };

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** A copy of `value` with the keys of every plain object in sorted order. */
function sortValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortValue);
  if (
    value !== null &&
    typeof value === "object" &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort())
      out[key] = sortValue((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * A schema that accepts and rejects exactly what `schema` does, with the same messages, and whose parsed
 * output has the keys of every object in sorted order (zod writes an object's keys in the order its shape
 * lists them; defaults are sorted too; records keep their input's order). `JSON.stringify` of such an
 * output is its canonical JSON (core's `stableStringify`), which is what the store hashes, at native speed.
 * Descriptions (`.describe`) are not carried over: use the original schema for documentation.
 * @example withSortedKeys(z.object({ b: z.number(), a: z.number() })).parse({ b: 1, a: 2 }) // { a: 2, b: 1 }
 */
export function withSortedKeys<T extends z.ZodType>(schema: T): T {
  return sorted(schema, new Map()) as T;
}

function sorted(schema: z.ZodType, done: Map<z.ZodType, z.ZodType>): z.ZodType {
  const known = done.get(schema);
  if (known) return known;
  const def = defOf(schema);
  const inner = (key: string) => sorted(def[key] as z.ZodType, done);
  /** Members of the new definition in place of the old one's; the others are copied as they are (getters too). */
  let replace: Record<string, unknown>;
  switch (def.type) {
    case "object": {
      const shape = def.shape as Record<string, z.ZodType>;
      const sortedShape: Record<string, z.ZodType> = {};
      for (const key of Object.keys(shape).sort()) sortedShape[key] = sorted(shape[key]!, done);
      replace = { shape: sortedShape };
      if (def.catchall) replace.catchall = inner("catchall");
      break;
    }
    case "default":
    case "prefault": {
      const read = Object.getOwnPropertyDescriptor(def, "defaultValue")!;
      const value = () => (read.get ? read.get.call(def) : read.value);
      replace = { innerType: inner("innerType") };
      const next = redefine(def, replace);
      // A fresh sorted copy each time, as zod hands out a fresh copy of the default.
      return finish(schema, done, {
        ...next,
        defaultValue: { get: () => sortValue(value()), enumerable: true, configurable: true },
      });
    }
    case "optional":
    case "nullable":
    case "nonoptional":
    case "readonly":
    case "catch":
      replace = { innerType: inner("innerType") };
      break;
    case "array":
      replace = { element: inner("element") };
      break;
    case "record":
      replace = { valueType: inner("valueType") };
      break;
    case "union":
      replace = { options: (def.options as z.ZodType[]).map((o) => sorted(o, done)) };
      break;
    case "pipe":
      replace = { in: inner("in"), out: inner("out") };
      break;
    default:
      // Strings, numbers, literals, enums, ...: nothing to order.
      return schema;
  }
  return finish(schema, done, redefine(def, replace));
}

/** The property descriptors of `def` with the members of `replace` in place of its own. */
function redefine(def: Def, replace: Record<string, unknown>): PropertyDescriptorMap {
  const descriptors: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(def);
  for (const [key, value] of Object.entries(replace))
    descriptors[key] = { value, enumerable: true, writable: true, configurable: true };
  return descriptors;
}

/** A schema of the same class as `schema` over the new definition. */
function finish(
  schema: z.ZodType,
  done: Map<z.ZodType, z.ZodType>,
  descriptors: PropertyDescriptorMap,
): z.ZodType {
  const next = Object.defineProperties({}, descriptors) as Def;
  const result = (schema as unknown as { clone(def: Def): z.ZodType }).clone(next);
  done.set(schema, result);
  return result;
}
