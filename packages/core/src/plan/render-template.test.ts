import { describe, expect, it } from "vitest";
import { PlanError } from "./plan-error.js";
import { renderTemplate, templateNames } from "./render-template.js";

describe("renderTemplate", () => {
  const vars = {
    model: "deepseek-ai/DeepSeek-R1",
    tp: 8,
    ep: 1,
    dpAttention: false,
    mtp: true,
    draftTokens: 3,
  };

  it("fills values and keeps or drops sections by truthiness", () => {
    const t =
      "vllm serve {{model}} --tp {{tp}}{{#dpAttention}} --dp {{tp}}{{/dpAttention}}{{^dpAttention}} --no-dp{{/dpAttention}}{{#mtp}} --mtp {{draftTokens}}{{/mtp}}";
    expect(renderTemplate(t, vars)).toBe(
      "vllm serve deepseek-ai/DeepSeek-R1 --tp 8 --no-dp --mtp 3",
    );
  });

  it("treats 0 and empty strings as false and joins continued lines", () => {
    const t =
      "serve \\\n  --x {{ep}}\n  {{#zero}}--zero{{/zero}}{{#empty}}--empty{{/empty}}  --end";
    expect(renderTemplate(t, { ep: 1, zero: 0, empty: "" })).toBe("serve --x 1 --end");
  });

  it("renders nested sections of the same name", () => {
    expect(renderTemplate("{{#a}}x{{#a}}y{{/a}}z{{/a}}", { a: true })).toBe("xyz");
  });

  it("names an unknown placeholder and the known ones", () => {
    expect(() => renderTemplate("--tp {{tpp}}", { tp: 8 })).toThrow(
      new PlanError("template: unknown placeholder {{tpp}}; known: tp"),
    );
  });

  it("reports an unclosed section", () => {
    expect(() => renderTemplate("{{#mtp}} --mtp", vars)).toThrow(/never closed/);
  });

  it("reports a placeholder that is never closed, and leaves other braces (Go templates) as written", () => {
    // before, "{{model --port" went into the command as written
    expect(() => renderTemplate("vllm serve {{model --port {{tp}}", vars)).toThrow(
      new PlanError('template: "{{model --port " opens a placeholder that is never closed with }}'),
    );
    expect(() => renderTemplate("serve --tp {{tp}", vars)).toThrow(
      new PlanError('template: "{{tp}" opens a placeholder that is never closed with }}'),
    );
    expect(
      renderTemplate("docker inspect -f '{{.State.Running}}' x && {{ if .Y }}{{tp}}", vars),
    ).toBe("docker inspect -f '{{.State.Running}}' x && {{ if .Y }}8");
  });

  it("lists the names a template uses", () => {
    expect(templateNames("{{a}} {{#b}}{{c}}{{/b}} {{a}}")).toEqual(["a", "b", "c"]);
  });
});

describe("renderTemplate whitespace", () => {
  it("keeps whitespace inside quotes", () => {
    expect(renderTemplate("printf 'a:\\n  b: {{x}}'   >  f", { x: 1 })).toBe(
      "printf 'a:\\n  b: 1' > f",
    );
    expect(renderTemplate('--json "{ \\"k\\":  1 }"\n  --y', {})).toBe(
      '--json "{ \\"k\\":  1 }" --y',
    );
  });
});
