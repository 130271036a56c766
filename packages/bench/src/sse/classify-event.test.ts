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

  it("reads content given as a list of parts, thinking parts as reasoning (Mistral's reasoning models)", () => {
    // Mistral's hosted API streams a reasoning model's delta.content as typed parts, not a string
    expect(
      classifyEvent(
        '{"choices":[{"delta":{"role":"assistant","content":[{"type":"thinking","thinking":[{"type":"text","text":"hm"}]}]}}]}',
      ),
    ).toEqual({ kind: "reasoning", text: "hm" });
    expect(
      classifyEvent('{"choices":[{"delta":{"content":[{"type":"text","text":"Hi"}]}}]}'),
    ).toEqual({ kind: "content", text: "Hi" });
    // a whole (non-streamed) message: reasoning first, then the answer, as the stream would give them
    expect(
      classifyEvent(
        '{"choices":[{"message":{"role":"assistant","content":[{"type":"thinking","thinking":[{"type":"text","text":"a"}]},{"type":"text","text":"b"}]},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}',
      ),
    ).toEqual({
      kind: "content",
      text: "ab",
      finishReason: "stop",
      usage: { promptTokens: 3, completionTokens: 2 },
    });
  });

  it("reads reasoning from whichever of reasoning_content and reasoning carries it, once", () => {
    // TensorRT-LLM's and vLLM's DeltaMessage declare both fields; an empty one must not hide the other
    expect(
      classifyEvent(
        '{"choices":[{"delta":{"content":"","reasoning_content":"","reasoning":"x"}}]}',
      ),
    ).toEqual({ kind: "reasoning", text: "x" });
    // vLLM copies `reasoning` into the deprecated `reasoning_content`: the text counts once
    expect(
      classifyEvent('{"choices":[{"delta":{"reasoning":"think","reasoning_content":"think"}}]}'),
    ).toEqual({ kind: "reasoning", text: "think" });
  });

  it("takes a usage of zero prompt and zero completion tokens for no usage (Ollama's per-chunk placeholder)", () => {
    expect(
      classifyEvent(
        '{"choices":[{"text":"a","index":0,"finish_reason":null}],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}',
      ),
    ).toEqual({ kind: "content", text: "a" });
    // a role-only chunk with continuous usage has no completion token yet, but its prompt tokens are real
    expect(
      classifyEvent(
        '{"choices":[{"delta":{"role":"assistant","content":""}}],"usage":{"prompt_tokens":12,"completion_tokens":0}}',
      ),
    ).toEqual({ kind: "role", usage: { promptTokens: 12, completionTokens: 0 } });
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
