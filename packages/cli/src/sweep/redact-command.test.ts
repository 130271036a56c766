import { describe, expect, it } from "vitest";
import { redactCommand } from "./redact-command.js";

describe("redactCommand", () => {
  it("hides the values of secret flags and assignments, and every known secret value", () => {
    expect(
      redactCommand(
        "HF_TOKEN=hf_1 vllm serve m --api-key sk-1 --hf-token='x y' --port 8000 && echo sk-known",
        ["sk-known"],
      ),
    ).toBe("HF_TOKEN=*** vllm serve m --api-key *** --hf-token=*** --port 8000 && echo ***");
  });

  it("keeps a shell variable given as a secret flag's value, and what follows it", () => {
    // before, `--api-key $KEY"; exit 3` became `--api-key *** exit 3`: the reference is no secret, and the quote
    // and separator after it went with it
    expect(redactCommand('sh -c "serve --api-key $VLLM_API_KEY"; exit 3')).toBe(
      'sh -c "serve --api-key $VLLM_API_KEY"; exit 3',
    );
    expect(redactCommand(`serve --api-key \${VLLM_API_KEY} --token="$HF_TOKEN" --port 1`)).toBe(
      `serve --api-key \${VLLM_API_KEY} --token="$HF_TOKEN" --port 1`,
    );
    expect(redactCommand("HF_TOKEN=$HF_TOKEN serve")).toBe("HF_TOKEN=$HF_TOKEN serve");
    // in single quotes a dollar sign is a character of the value: hidden
    expect(redactCommand("serve --api-key '$ecret-1' --port 1")).toBe(
      "serve --api-key *** --port 1",
    );
  });
});
