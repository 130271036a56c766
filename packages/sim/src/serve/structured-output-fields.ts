import type { RequestError } from "./completion-request.js";

/**
 * vLLM's words for tools on a server started without `--enable-auto-tool-choice --tool-call-parser`: agent clients
 * match on them to fall back to text, so they are kept word for word.
 */
export const AUTO_TOOL_CHOICE_REFUSED =
  '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set';

const RESPONSE_FORMATS = ["text", "json_object", "json_schema", "structural_tag"];

/** Fields of older vLLM releases that constrain decoding: each one asks for output the simulator cannot give. */
const GUIDED_FIELDS = ["guided_json", "guided_regex", "guided_choice", "guided_grammar"];

/** Constraints of vLLM's `structured_outputs` object (its other keys are options, harmless alone). */
const STRUCTURED_CONSTRAINTS = [
  "json",
  "regex",
  "choice",
  "grammar",
  "json_object",
  "structural_tag",
];

const given = (value: unknown) => value !== undefined && value !== null;

/**
 * Tools in a chat body as vLLM's request model checks them, for a server without tool parsing (the simulator's
 * case): `tools` with `tool_choice` absent or `"auto"` is vLLM's 400 (`AUTO_TOOL_CHOICE_REFUSED`); `"required"` and
 * a named function, which vLLM answers with tool calls through guided decoding, are refused because the simulator
 * writes only text; `"none"`, an empty `tools`, and `"required"` over an empty `tools` (vLLM reads it as `"none"`)
 * are served with text, as vLLM serves them.
 */
function toolError(body: Record<string, unknown>): RequestError | undefined {
  const { tools } = body;
  if (given(tools) && !Array.isArray(tools))
    return { message: "tools must be a list of tools", param: "tools" };
  // as vLLM: tools without a tool_choice mean "auto"
  const choice =
    body.tool_choice === undefined && Array.isArray(tools) && tools.length > 0
      ? "auto"
      : body.tool_choice;
  if (!given(choice) || choice === "none") return undefined;
  if (!Array.isArray(tools))
    return { message: "When using `tool_choice`, `tools` must be set.", param: "tool_choice" };
  const named = typeof choice === "object" && !Array.isArray(choice);
  if (choice !== "auto" && choice !== "required" && !named)
    return {
      message: `Invalid value for \`tool_choice\`: ${typeof choice === "string" ? choice : JSON.stringify(choice)}! Only named tools, "none", "auto" or "required" are supported.`,
      param: "tool_choice",
    };
  if (choice === "required" && tools.length === 0) return undefined;
  if (named) {
    const name = (choice as { function?: { name?: unknown } }).function?.name;
    const names = tools.map((t) => (t as { function?: { name?: unknown } })?.function?.name);
    if (typeof name !== "string" || !names.includes(name))
      return {
        message: "The tool specified in `tool_choice` does not match any of the specified `tools`",
        param: "tool_choice",
      };
  }
  if (choice === "auto") return { message: AUTO_TOOL_CHOICE_REFUSED, param: null };
  return {
    message:
      "tool_choice: the simulator generates text, never tool calls; leave tool_choice out with no tools, or send tool_choice none",
    param: "tool_choice",
  };
}

/** `response_format` other than text, which vLLM honours with guided decoding. */
function responseFormatError(body: Record<string, unknown>): RequestError | undefined {
  const format = body.response_format;
  if (!given(format)) return undefined;
  const type = (format as { type?: unknown }).type;
  if (typeof type !== "string" || !RESPONSE_FORMATS.includes(type))
    return {
      message: "response_format.type must be text, json_object, json_schema or structural_tag",
      param: "response_format",
    };
  if (type === "text") return undefined;
  return {
    message: `response_format ${type}: the simulator generates free text, not structured output; leave response_format out, or give type text`,
    param: "response_format",
  };
}

/**
 * The first field of a completions (`chat` false) or chat body that asks for output the simulator cannot give:
 * tool calls, JSON (`response_format`), or decoding under a guide (`guided_json`, `guided_regex`, `guided_choice`,
 * `guided_grammar`, a constraint in `structured_outputs`). Served, the request would get free text where its
 * client parses a tool call or JSON; refused, the client learns it at once. Undefined when there is none.
 * @example structuredOutputError({ response_format: { type: "json_object" } }, true)?.param // "response_format"
 */
export function structuredOutputError(
  body: Record<string, unknown>,
  chat: boolean,
): RequestError | undefined {
  const tools = chat ? toolError(body) : undefined;
  if (tools) return tools;
  const format = responseFormatError(body);
  if (format) return format;
  const structured = body.structured_outputs;
  const constrained =
    given(structured) &&
    (typeof structured !== "object" ||
      STRUCTURED_CONSTRAINTS.some(
        (k) =>
          given((structured as Record<string, unknown>)[k]) &&
          (structured as Record<string, unknown>)[k] !== false,
      ));
  const field = [
    ...GUIDED_FIELDS.filter((f) => given(body[f])),
    ...(constrained ? ["structured_outputs"] : []),
  ][0];
  if (!field) return undefined;
  return {
    message: `${field}: the simulator generates free text and cannot follow a guide; leave ${field} out`,
    param: field,
  };
}
