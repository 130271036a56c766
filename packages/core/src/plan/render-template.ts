import { PlanError } from "./plan-error.js";

/** Values a server template may refer to. */
export type TemplateVars = Readonly<Record<string, string | number | boolean | undefined>>;

const TAG = /\{\{\s*([#^/]?)\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/**
 * Renders a server command template (a small Mustache subset):
 * `{{name}}` inserts a value, `{{#name}}...{{/name}}` keeps its body when the value is truthy (true, a non-zero
 * number, a non-empty string), `{{^name}}...{{/name}}` when it is not. Backslash-newline continuations and runs of
 * whitespace become one space, so a template may span lines. An unknown name is an error that lists the known ones.
 * @example renderTemplate("serve {{model}}{{#mtp}} --mtp {{draftTokens}}{{/mtp}}", { model: "m", mtp: true, draftTokens: 3 })
 * // "serve m --mtp 3"
 */
export function renderTemplate(template: string, vars: TemplateVars): string {
  checkClosed(template);
  return collapseWhitespace(renderSection(template, vars));
}

/** `{{` followed by what a placeholder starts with (a name, maybe after `#`, `^` or `/`). */
const OPENING = /\{\{(?=\s*[#^/]?\s*[A-Za-z_])/g;

/**
 * Refuses a placeholder opened and never closed (`{{model --port {{port}}`, `{{tp}`): it would go into the command
 * as written. Braces that open no name (`{{.State.Running}}`, a Go template of `docker inspect`) are left alone.
 */
function checkClosed(template: string): void {
  for (const match of template.matchAll(OPENING)) {
    const close = template.indexOf("}}", match.index + 2);
    const next = template.indexOf("{{", match.index + 2);
    if (close >= 0 && (next < 0 || close < next)) continue;
    const end = next >= 0 ? next : template.length;
    const snippet = template.slice(match.index, Math.min(end, match.index + 40));
    throw new PlanError(`template: "${snippet}" opens a placeholder that is never closed with }}`);
  }
}

/** Placeholder names used in a template (values and sections), in order of first use. */
export function templateNames(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(new RegExp(TAG.source, "g"))) names.add(match[2]!);
  return [...names];
}

function renderSection(template: string, vars: TemplateVars): string {
  let out = "";
  let cursor = 0;
  TAG.lastIndex = 0;
  for (;;) {
    TAG.lastIndex = cursor;
    const match = TAG.exec(template);
    if (!match) break;
    const [tag, sigil, name] = match as unknown as [string, string, string];
    out += template.slice(cursor, match.index);
    cursor = match.index + tag.length;
    if (sigil === "/") throw new PlanError(`template: {{/${name}}} closes no open section`);
    const value = lookup(vars, name);
    if (sigil === "") {
      out += value === undefined ? "" : String(value);
      continue;
    }
    const end = findClose(template, name, cursor);
    const body = template.slice(cursor, end.start);
    const truthy = value !== undefined && value !== false && value !== 0 && value !== "";
    if ((sigil === "#") === truthy) out += renderSection(body, vars);
    cursor = end.end;
  }
  return out + template.slice(cursor);
}

function lookup(vars: TemplateVars, name: string): string | number | boolean | undefined {
  if (!Object.hasOwn(vars, name)) {
    const known = Object.keys(vars).sort().join(", ");
    throw new PlanError(`template: unknown placeholder {{${name}}}; known: ${known}`);
  }
  return vars[name];
}

/** Finds the `{{/name}}` that closes a section opened just before `from`, skipping nested sections of that name. */
function findClose(template: string, name: string, from: number): { start: number; end: number } {
  const tags = new RegExp(`\\{\\{\\s*([#^/])\\s*${escapeRegExp(name)}\\s*\\}\\}`, "g");
  tags.lastIndex = from;
  let depth = 1;
  for (let m = tags.exec(template); m; m = tags.exec(template)) {
    depth += m[1] === "/" ? -1 : 1;
    if (depth === 0) return { start: m.index, end: m.index + m[0].length };
  }
  throw new PlanError(`template: section {{#${name}}} is never closed with {{/${name}}}`);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Joins continued lines and squeezes whitespace outside quotes (a quoted JSON or YAML value keeps its own). */
function collapseWhitespace(s: string): string {
  const text = s.replace(/\\\r?\n/g, " ");
  let out = "";
  let quote: string | undefined;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
      out += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else if (/\s/.test(c)) {
      if (!out.endsWith(" ")) out += " ";
    } else {
      out += c;
    }
  }
  return out.trim();
}
