// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is what a spec writes in a header for an environment variable
import { describe, expect, it } from "vitest";
import { externalSpec } from "../../test/external-spec.js";
import { headerVariables, isCredentialHeader, readSpecHeaders } from "./spec-headers.js";
import { SweepError } from "./sweep-error.js";

const spec = (headers: Record<string, string>) => externalSpec({ headers });

describe("isCredentialHeader", () => {
  it("knows credentials by the header's name, in any case", () => {
    const names = ["Authorization", "proxy-authorization", "Cookie", "X-Api-Key", "Api-Key"];
    const more = ["X-Gateway-Token", "X-Client-Secret", "X-Session-Id", "X-Password"];
    expect([...names, ...more].filter((n) => !isCredentialHeader(n))).toEqual([]);
    expect(["X-Team", "Accept", "X-Request-Id"].filter(isCredentialHeader)).toEqual([]);
  });
});

describe("readSpecHeaders", () => {
  it("replaces each ${NAME} with the variable's value, and leaves other values as written", () => {
    const headers = spec({
      Authorization: "Bearer ${GATEWAY_TOKEN}",
      "X-Api-Key": "${GATEWAY_TOKEN}",
      "X-Team": "infra",
    });
    expect(readSpecHeaders(headers, { GATEWAY_TOKEN: "t-1" })).toEqual({
      Authorization: "Bearer t-1",
      "X-Api-Key": "t-1",
      "X-Team": "infra",
    });
    expect(headerVariables(headers)).toEqual(["GATEWAY_TOKEN"]);
  });

  it("refuses a variable that is unset or empty, or that holds a line end, naming it", () => {
    const headers = spec({ Authorization: "Bearer ${GATEWAY_TOKEN}" });
    for (const env of [{}, { GATEWAY_TOKEN: "" }])
      expect(() => readSpecHeaders(headers, env)).toThrow(
        new SweepError(
          "bench.headers.Authorization: environment variable GATEWAY_TOKEN is not set",
        ),
      );
    expect(() => readSpecHeaders(headers, { GATEWAY_TOKEN: "t-1\n" })).toThrow(
      new SweepError(
        "bench.headers.Authorization: environment variable GATEWAY_TOKEN holds CR, LF or NUL (a line end copied with it?): set it to the value alone",
      ),
    );
  });
});
