import { describe, expect, it } from "vitest";
import { serveDsr1, sseEvents } from "./sim-server-fixture.js";

// a server of this file's own: its requests are numbered from 0 in the order below, and the words it generates
// for request k (seed 1) are generatedWords(1, k, n): 0 "meko kuca gazu lude vana", 1 "hesa pugi tido coke",
// 2 "sibo bodi zufu mepo dafu feba civi", 3 "ligu gala kevo", 4 "satu mama lezi"
const sim = serveDsr1();

const post = sim.post;

const events = sseEvents;

describe("sim serve ends a completion on a stop string, as vLLM does (it always ran to max_tokens)", () => {
  it("cuts the text at the first stop string, one that spans two tokens too, with finish_reason stop", async () => {
    // before: the whole 12 tokens, the stop string in the text, finish_reason length
    const res = await post("/v1/completions", {
      prompt: "baba",
      max_tokens: 12,
      stop: ["zz", "de va"],
    });
    const body = await res.json();
    expect([body.choices[0], body.usage.completion_tokens]).toEqual([
      {
        index: 0,
        text: " meko kuca gazu lu",
        logprobs: null,
        finish_reason: "stop",
        stop_reason: "de va",
      },
      5,
    ]);
  });

  it("streams the text through the stop string with include_stop_str_in_output, the last chunk naming it", async () => {
    const chunks = await events(
      await post("/v1/completions", {
        prompt: "baba",
        max_tokens: 12,
        stop: ["o", "up"],
        include_stop_str_in_output: true,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    const choices = chunks.flatMap((c) => c.choices);
    expect(choices.map((c) => c.text).join("")).toBe(" hesa pugi tido");
    expect(choices.at(-1)).toMatchObject({ finish_reason: "stop", stop_reason: "o" });
    expect(chunks.at(-1).usage.completion_tokens).toBe(3);
  });

  it("looks for stop strings only in the tokens after min_tokens, as vLLM's detokenizer does", async () => {
    // "i" is in the first two words, which min_tokens passes over; the seventh is the next with one
    const res = await post("/v1/chat/completions", {
      messages: [{ role: "user", content: "baba" }],
      max_tokens: 12,
      stop: "i",
      min_tokens: 2,
    });
    const body = await res.json();
    expect([body.choices[0], body.usage.completion_tokens]).toEqual([
      {
        index: 0,
        message: { role: "assistant", content: " sibo bodi zufu mepo dafu feba c", tool_calls: [] },
        logprobs: null,
        finish_reason: "stop",
        stop_reason: "i",
      },
      7,
    ]);
  });

  it("streams a chat that stops, and runs one whose stop strings never appear to max_tokens", async () => {
    const chunks = await events(
      await post("/v1/chat/completions", {
        messages: [{ role: "user", content: "baba" }],
        max_tokens: 12,
        stop: ["gala"],
        stream: true,
      }),
    );
    expect(chunks.map((c) => [c.choices[0].delta, c.choices[0].finish_reason])).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{ content: " ligu" }, null],
      [{ content: " " }, "stop"],
    ]);
    expect(chunks.at(-1).choices[0].stop_reason).toBe("gala");
    const plain = await (
      await post("/v1/completions", { prompt: "baba", max_tokens: 3, stop: ["\n", "x"] })
    ).json();
    expect(plain.choices[0]).toMatchObject({
      text: " satu mama lezi",
      finish_reason: "length",
      stop_reason: null,
    });
  });

  it("counts the requests that stopped under finished_reason stop in /metrics", async () => {
    const text = await (await fetch(`${sim.base}/metrics`)).text();
    expect(text.split("\n").filter((l) => l.startsWith("vllm:request_success_total{"))).toEqual([
      'vllm:request_success_total{model_name="dsr1",finished_reason="stop"} 4',
      'vllm:request_success_total{model_name="dsr1",finished_reason="length"} 1',
      'vllm:request_success_total{model_name="dsr1",finished_reason="abort"} 0',
      'vllm:request_success_total{model_name="dsr1",finished_reason="error"} 0',
      'vllm:request_success_total{model_name="dsr1",finished_reason="repetition"} 0',
    ]);
  });
});
