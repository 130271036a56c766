import { describe, expect, it } from "vitest";
import { isSecretParameter, shownUrl } from "./shown-url.js";

describe("shownUrl", () => {
  it("shows a URL without its password, whether it parses or not", () => {
    expect(shownUrl("http://me:pw-1@gpu-1:9400/metrics")).toBe("http://me:***@gpu-1:9400/metrics");
    expect(shownUrl("http://gpu-1:9400/metrics")).toBe("http://gpu-1:9400/metrics");
    // a port out of range; a `/` in the password: all up to the last `@` may be the password
    expect(shownUrl("http://me:pw-1@gpu-1:99999")).toBe("http://***@gpu-1:99999");
    expect(shownUrl("http://me:pw/1@gpu-1:8000/v1")).toBe("http://***@gpu-1:8000/v1");
    expect(shownUrl("gpu-1:8000")).toBe("gpu-1:8000");
  });

  it("shows the values of a query's and a fragment's credentials as ***, the rest as written", () => {
    // before, each was shown whole
    expect(shownUrl("http://gpu-1:9400/metrics?gpu=0&token=t-1&max_tokens=8")).toBe(
      "http://gpu-1:9400/metrics?gpu=0&token=***&max_tokens=8",
    );
    expect(
      shownUrl(
        "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=ab12&X-Amz-Security-Token=tk&X-Amz-Expires=60",
      ),
    ).toBe(
      "https://b.s3.amazonaws.com/k?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***&X-Amz-Expires=60",
    );
    expect(shownUrl("https://a.blob.core.windows.net/c?sv=2024&sig=s%2Bg%3D&se=x")).toBe(
      "https://a.blob.core.windows.net/c?sv=2024&sig=***&se=x",
    );
    expect(
      shownUrl("http://h/m?api_key=k1&apikey=k2&key=k3&signature=k4&keyword=fp8#access_token=k5"),
    ).toBe("http://h/m?api_key=***&apikey=***&key=***&signature=***&keyword=fp8#access_token=***");
    // with a password, parsed or not
    expect(shownUrl("http://me:pw@h:9400/m?token=t-1")).toBe("http://me:***@h:9400/m?token=***");
    expect(shownUrl("http://me:pw@h:99999/m?token=t-1")).toBe("http://***@h:99999/m?token=***");
    expect(shownUrl("http://h/m?token")).toBe("http://h/m?token");
  });
});

describe("isSecretParameter", () => {
  it("takes a credential's name in any case and spelling, and no other", () => {
    const secret = [
      "token",
      "access_token",
      "API_KEY",
      "apiKey",
      "key",
      "sig",
      "X-Amz-Signature",
      "auth",
      "password",
      "code",
      "api%5Fkey",
    ];
    expect(secret.filter((n) => !isSecretParameter(n))).toEqual([]);
    const plain = [
      "max_tokens",
      "keyword",
      "monkey",
      "gpu",
      "model",
      "X-Amz-Expires",
      "sv",
      "tokens",
    ];
    expect(plain.filter(isSecretParameter)).toEqual([]);
  });
});
