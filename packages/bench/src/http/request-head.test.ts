import { describe, expect, it } from "vitest";
import { BenchOptionError } from "../errors.js";
import { requestHead } from "./request-head.js";

describe("requestHead", () => {
  it("writes the request line, Host, the caller's headers and Content-Length", () => {
    expect(
      requestHead(
        "POST",
        "/v1/chat/completions",
        "api.example.com",
        { "content-type": "application/json", authorization: "Bearer k", "X-Trace": "a b" },
        42,
      ),
    ).toBe(
      "POST /v1/chat/completions HTTP/1.1\r\nhost: api.example.com\r\n" +
        "content-type: application/json\r\nauthorization: Bearer k\r\nX-Trace: a b\r\n" +
        "content-length: 42\r\n\r\n",
    );
  });

  it("keeps a caller's Host; drops framing headers the transport owns", () => {
    expect(
      requestHead(
        "POST",
        "/p",
        "10.0.0.1:8000",
        {
          Host: "vhost",
          "Content-Length": "999",
          "transfer-encoding": "chunked",
          connection: "close",
        },
        0,
      ),
    ).toBe("POST /p HTTP/1.1\r\nHost: vhost\r\ncontent-length: 0\r\n\r\n");
  });

  it("refuses headers that would break the framing, without quoting the value", () => {
    expect(() =>
      requestHead("POST", "/p", "h", { authorization: "Bearer sk-1\r\nx: y" }, 0),
    ).toThrow(new BenchOptionError('request header "authorization" holds CR, LF or NUL'));
    expect(() => requestHead("POST", "/p", "h", { "Bearer sk-1": "v" }, 0)).toThrow(
      new BenchOptionError(
        "a request header's name has a space (a header name is one word, as Authorization)",
      ),
    );
    expect(() => requestHead("POST", "/a b", "h", {}, 0)).toThrow(BenchOptionError);
  });
});
