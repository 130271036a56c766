import { describe, expect, it } from "vitest";
import { serveDsr1 } from "./sim-server-fixture.js";

const sim = serveDsr1();

/** One sample of the server's `/metrics`: `name` with the model's label and `labels` after it. */
const sample = async (name: string, labels = "") => {
  const text = await (await fetch(`${sim.base}/metrics`)).text();
  const line = `${name}{model_name="dsr1"${labels}} `;
  const found = text.split("\n").find((l) => l.startsWith(line));
  return found === undefined ? undefined : Number(found.slice(line.length));
};

describe("sim serve reads the fields clients send as vLLM reads them", () => {
  it("takes completions logprobs: true as 1 and false as 0, as vLLM's pydantic int field coerces them", async () => {
    const asked = async (logprobs: boolean) => {
      const res = await sim.post("/v1/completions", { prompt: "baba", max_tokens: 3, logprobs });
      expect(res.status).toBe(200);
      return (await res.json()).choices[0].logprobs;
    };
    const one = await asked(true);
    expect(one.tokens).toHaveLength(3);
    // the sampled token and the one most likely: with vLLM's logprobs 1 they are the same token, one entry
    expect(one.top_logprobs.map((t: object) => Object.keys(t).length)).toEqual([1, 1, 1]);
    const none = await asked(false);
    expect(none.tokens).toHaveLength(3);
    expect(none.top_logprobs.map((t: object) => Object.keys(t).length)).toEqual([1, 1, 1]);
  });

  it("takes chat logprobs: 1 as true, as vLLM's pydantic bool field reads it, and still refuses 3", async () => {
    const chat = { messages: [{ role: "user", content: "baba" }], max_tokens: 2, top_logprobs: 2 };
    const res = await sim.post("/v1/chat/completions", { ...chat, logprobs: 1 });
    expect(res.status).toBe(200);
    const content = (await res.json()).choices[0].logprobs.content;
    expect(content.map((c: { top_logprobs: unknown[] }) => c.top_logprobs.length)).toEqual([2, 2]);
    const three = await sim.post("/v1/chat/completions", { ...chat, logprobs: 3 });
    expect([three.status, (await three.json()).error.message]).toEqual([
      400,
      "logprobs must be a boolean, got 3",
    ]);
  });

  it("refuses use_beam_search, which vLLM runs and the simulator does not, naming it, on both routes", async () => {
    const message =
      "use_beam_search: the simulator does not run beam search; leave use_beam_search out (or false)";
    for (const [path, body] of [
      ["/v1/completions", { prompt: "baba", max_tokens: 2, use_beam_search: true, n: 2 }],
      [
        "/v1/chat/completions",
        { messages: [{ role: "user", content: "baba" }], max_tokens: 2, use_beam_search: true },
      ],
    ] as const) {
      const res = await sim.post(path, body);
      expect([res.status, await res.json()]).toEqual([
        400,
        { error: { message, type: "BadRequestError", param: "use_beam_search", code: 400 } },
      ]);
    }
    const off = await sim.post("/v1/completions", {
      prompt: "baba",
      max_tokens: 2,
      use_beam_search: false,
    });
    expect(off.status).toBe(200);
    const bad = await sim.post("/v1/completions", { prompt: "baba", use_beam_search: "maybe" });
    expect([bad.status, (await bad.json()).error.param]).toEqual([400, "use_beam_search"]);
  });

  it("refuses a priority other than 0 in vLLM's words, as a vLLM without --scheduling-policy priority does", async () => {
    const res = await sim.post("/v1/chat/completions", {
      messages: [{ role: "user", content: "baba" }],
      max_tokens: 2,
      priority: 10,
    });
    expect([res.status, await res.json()]).toEqual([
      400,
      {
        error: {
          message: "Got priority 10 but Priority scheduling is not enabled.",
          type: "BadRequestError",
          param: null,
          code: 400,
        },
      },
    ]);
    const zero = await sim.post("/v1/completions", { prompt: "baba", max_tokens: 2, priority: 0 });
    expect(zero.status).toBe(200);
    const text = await sim.post("/v1/completions", { prompt: "baba", priority: "high" });
    expect([text.status, (await text.json()).error.param]).toEqual([400, "priority"]);
  });

  it("counts an n-choice request in /metrics as vLLM V1 does: n finished sequences of the whole prompt, n once", async () => {
    // 200 token ids no other test sends: three full 64-token blocks the other choices find cached, 8 tokens each
    const prompt = Array.from({ length: 200 }, (_, i) => 5000 + i);
    const before = {
      length: await sample("vllm:request_success_total", ',finished_reason="length"'),
      prompt: await sample("vllm:prompt_tokens_total"),
      queries: await sample("vllm:prefix_cache_queries_total"),
      hits: await sample("vllm:prefix_cache_hits_total"),
      promptHist: await sample("vllm:request_prompt_tokens_sum"),
      promptCount: await sample("vllm:request_prompt_tokens_count"),
      genHist: await sample("vllm:request_generation_tokens_sum"),
      e2e: await sample("vllm:e2e_request_latency_seconds_count"),
      ttft: await sample("vllm:time_to_first_token_seconds_count"),
      nSum: await sample("vllm:request_params_n_sum"),
      nCount: await sample("vllm:request_params_n_count"),
    };
    const res = await sim.post("/v1/completions", { prompt, max_tokens: 5, n: 3 });
    expect((await res.json()).usage).toMatchObject({ prompt_tokens: 200, completion_tokens: 15 });
    expect(await sample("vllm:request_success_total", ',finished_reason="length"')).toBe(
      before.length! + 3,
    );
    // vLLM counts each child request's whole prompt; the children find the first one's full blocks cached
    expect(await sample("vllm:prompt_tokens_total")).toBe(before.prompt! + 600);
    expect(await sample("vllm:prefix_cache_queries_total")).toBe(before.queries! + 600);
    expect(await sample("vllm:prefix_cache_hits_total")).toBe(before.hits! + 2 * 192);
    expect(await sample("vllm:request_prompt_tokens_sum")).toBe(before.promptHist! + 600);
    expect(await sample("vllm:request_prompt_tokens_count")).toBe(before.promptCount! + 3);
    expect(await sample("vllm:request_generation_tokens_sum")).toBe(before.genHist! + 15);
    expect(await sample("vllm:e2e_request_latency_seconds_count")).toBe(before.e2e! + 3);
    expect(await sample("vllm:time_to_first_token_seconds_count")).toBe(before.ttft! + 3);
    // the n parameter is observed once per request, when its last child finishes
    expect(await sample("vllm:request_params_n_sum")).toBe(before.nSum! + 3);
    expect(await sample("vllm:request_params_n_count")).toBe(before.nCount! + 1);
    expect(await sample("vllm:request_params_n_bucket", ',le="2.0"')).toBe(
      (await sample("vllm:request_params_n_bucket", ',le="1.0"'))!,
    );
  });

  it("writes vLLM's histogram buckets with its labels, le last, and the simulated seconds", async () => {
    const res = await sim.post("/v1/completions", { prompt: "keko baba", max_tokens: 4 });
    expect(res.status).toBe(200);
    const text = await (await fetch(`${sim.base}/metrics`)).text();
    expect(text).toContain("# TYPE vllm:time_to_first_token_seconds histogram");
    expect(text).toMatch(
      /^vllm:time_to_first_token_seconds_bucket\{model_name="dsr1",le="0.001"\} \d+$/m,
    );
    expect(text).toMatch(
      /^vllm:time_to_first_token_seconds_bucket\{model_name="dsr1",le="\+Inf"\} \d+$/m,
    );
    expect(text).toMatch(
      /^vllm:request_prompt_tokens_bucket\{model_name="dsr1",le="100000.0"\} \d+$/m,
    );
    // a 2-token prompt's prefill and 3 decode steps of DeepSeek-R1 on 8 H200s: tens of ms, never a second
    const e2eSum = await sample("vllm:e2e_request_latency_seconds_sum");
    const e2eCount = await sample("vllm:e2e_request_latency_seconds_count");
    expect(e2eSum! / e2eCount!).toBeGreaterThan(0.005);
    expect(e2eSum! / e2eCount!).toBeLessThan(1);
  });
});
