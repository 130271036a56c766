import { describe, expect, it } from "vitest";
import { redact, redactionReach, redactJson } from "./redact.js";

describe("redact", () => {
  const key = "sk-1/2+3=é x";

  it("replaces a secret as written", () => {
    expect(redact(`bad key ${key}, again ${key}`, [key])).toBe("bad key ***, again ***");
  });

  it("replaces a secret a server echoed escaped: percent-encoded (either case of hex digit), JSON-escaped, a space as +", () => {
    const upper = encodeURIComponent(key); // sk-1%2F2%2B3%3D%C3%A9%20x
    const lower = upper.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    // Python's quote() keeps `/`, a form encodes a space as `+`
    const partly = "sk-1/2%2B3%3D%C3%A9+x";
    // as PHP's json_encode writes it, `/` escaped
    const json = "sk-1\\/2+3=é x";
    const unicode = "sk-1\\u002f2+3=\\u00e9 x";
    for (const form of [upper, lower, partly, unicode]) {
      expect(redact(`location: /v1?k=${form}&z=1`, [key]), form).toBe("location: /v1?k=***&z=1");
    }
    expect(redact(`{"error":"bad key ${json}"}`, [key])).toBe('{"error":"bad key ***"}');
  });

  it("leaves a text alone that holds the secret in no form", () => {
    const text = "HTTP 401: sk-1%2F2 is not a key; 100% sure \\o/";
    expect(redact(text, [key])).toBe(text);
    expect(redact(text, [])).toBe(text);
  });

  it("reaches as far as the longest escaped form of a secret", () => {
    // é is 2 UTF-8 bytes (%C3%A9: 6 characters); a character of 3 bytes takes 9
    expect(redactionReach(["sk-1", key])).toBe(key.length * 9);
    expect(encodeURIComponent("€").length).toBe(9);
    expect(redactionReach([])).toBe(0);
  });
});

describe("redactJson", () => {
  it("redacts every string of a JSON value, keys included, and leaves other values as they are", () => {
    expect(
      redactJson(
        { data: [{ id: "m", speed: 20, echoed: { "sk-9": "Bearer sk-9", ok: true, n: null } }] },
        ["sk-9"],
      ),
    ).toEqual({
      data: [{ id: "m", speed: 20, echoed: { "***": "Bearer ***", ok: true, n: null } }],
    });
  });
});
