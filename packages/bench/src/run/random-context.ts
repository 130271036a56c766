import { BenchOptionError } from "../errors.js";

/**
 * Refuses a random workload whose longest request cannot fit the server's context: a prompt of up to `isl` tokens
 * asking for up to `osl` more, which the server refuses when their sum is over its `max_model_len` (vLLM's check),
 * so the level would be a point of refusals. Only when the server reports its context length (`/v1/models`).
 * @example checkRandomContext({ isl: 2048, osl: 64 }, 1000) // throws BenchOptionError
 */
export function checkRandomContext(o: { isl: number; osl: number }, contextLength: number): void {
  const need = o.isl + o.osl;
  if (need <= contextLength) return;
  throw new BenchOptionError(
    `--isl ${o.isl} + --osl ${o.osl} = ${need} tokens per request at most, over the server's max_model_len ${contextLength} (/v1/models): it would refuse them; lower --isl or --osl, or raise the server's --max-model-len`,
  );
}
