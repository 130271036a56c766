import { describe, expect, it } from "vitest";
import { classifyEvent } from "./classify-event.js";

describe("classifyEvent", () => {
  it("reads completions text, chat content, reasoning, tool calls and role-only deltas", () => {
    expect(classifyEvent('{"choices":[{"text":"ab"}]}')).toEqual({ kind: "content", text: "ab" });
    expect(classifyEvent('{"choices":[{"delta":{"content":"x"}}]}')).toEqual({
      kind: "content",
      text: "x",
    });
    expect(classifyEvent('{"choices":[{"delta":{"reasoning_content":"hm"}}]}').kind).toBe(
      "reasoning",
    );
    expect(classifyEvent('{"choices":[{"delta":{"reasoning":"hm"}}]}').text).toBe("hm");
    expect(
      classifyEvent(
        '{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"a\\""}}]}}]}',
      ),
    ).toEqual({ kind: "tool_call", text: '{"a"' });
    expect(classifyEvent('{"choices":[{"delta":{"role":"assistant","content":""}}]}').kind).toBe(
      "role",
    );
  });

  it("reads usage-only chunks, finish reasons, continuous usage and server stamps", () => {
    expect(
      classifyEvent(
        '{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":4}}}',
      ),
    ).toEqual({ kind: "usage", usage: { promptTokens: 7, completionTokens: 3, cachedTokens: 4 } });
    expect(
      classifyEvent('{"choices":[{"text":"","finish_reason":"length"}],"infermark_server_t":12.5}'),
    ).toEqual({ kind: "empty", finishReason: "length", serverT: 12.5 });
    expect(
      classifyEvent('{"choices":[{"text":"a"}],"usage":{"prompt_tokens":5,"completion_tokens":2}}'),
    ).toEqual({ kind: "content", text: "a", usage: { promptTokens: 5, completionTokens: 2 } });
  });

  it("flags [DONE], error objects and malformed payloads", () => {
    expect(classifyEvent("[DONE]")).toEqual({ kind: "done" });
    expect(classifyEvent('{"error":{"message":"overloaded","code":503}}')).toEqual({
      kind: "error",
      errorMessage: "overloaded",
    });
    expect(classifyEvent("not json")).toEqual({ kind: "error", malformed: true });
    expect(classifyEvent("[1,2]")).toEqual({ kind: "error", malformed: true });
  });
});
