import { describe, expect, it } from "vitest";
import { BACKENDS } from "../backends/index.js";
import { apiPath, requestBody } from "./request-body.js";

describe("requestBody", () => {
  it("forces the output length with what vLLM honours and asks for continuous usage", () => {
    const body = requestBody(
      { prompt: "a b", maxTokens: 16 },
      { model: "m", api: "completions", backend: BACKENDS.vllm, stream: true, fixedOutput: true },
    );
    expect(body).toEqual({
      model: "m",
      prompt: "a b",
      max_tokens: 16,
      ignore_eos: true,
      min_tokens: 16,
      stream: true,
      stream_options: { include_usage: true, continuous_usage_stats: true },
    });
  });

  it("asks trtllm-serve for continuous usage too (its default turned off: TensorRT-LLM#10644)", () => {
    const body = requestBody(
      { prompt: [5, 6, 7], maxTokens: 4 },
      { model: "m", api: "completions", backend: BACKENDS.trtllm, stream: true, fixedOutput: true },
    );
    expect(body).toEqual({
      model: "m",
      prompt: [5, 6, 7],
      max_tokens: 4,
      ignore_eos: true,
      min_tokens: 4,
      stream: true,
      stream_options: { include_usage: true, continuous_usage_stats: true },
    });
  });

  it("sends chat messages with max_completion_tokens to hosted OpenAI, no ignore_eos, extras last", () => {
    const body = requestBody(
      { prompt: "hello", maxTokens: 5 },
      {
        model: "gpt",
        api: "chat",
        backend: BACKENDS.openai,
        stream: false,
        fixedOutput: true,
        extraBody: { temperature: 0, max_completion_tokens: 6 },
      },
    );
    expect(body).toEqual({
      model: "gpt",
      messages: [{ role: "user", content: "hello" }],
      max_completion_tokens: 6,
      temperature: 0,
    });
  });

  it("builds API paths under a base path", () => {
    expect(apiPath("/", "completions")).toBe("/v1/completions");
    expect(apiPath("/v1", "chat")).toBe("/v1/chat/completions");
    expect(apiPath("/proxy/v1/", "chat")).toBe("/proxy/v1/chat/completions");
    expect(apiPath("/proxy", "completions")).toBe("/proxy/v1/completions");
  });
});
