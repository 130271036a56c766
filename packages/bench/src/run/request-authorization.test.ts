import { describe, expect, it } from "vitest";
import {
  basicAuthorization,
  percentDecode,
  requestAuthorization,
} from "./request-authorization.js";

const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("percentDecode", () => {
  it("decodes %XX (either case) to bytes and keeps a % that starts no escape", () => {
    expect(percentDecode("p%40ss%3a%3A").toString()).toBe("p@ss::");
    expect(percentDecode("%zz%4%").toString()).toBe("%zz%4%");
    expect([...percentDecode("%C3%A9%ff")]).toEqual([0xc3, 0xa9, 0xff]);
  });
});

describe("basicAuthorization", () => {
  it("sends user:password as curl does, percent-decoded, and nothing for a URL without them", () => {
    expect(basicAuthorization(new URL("http://me:p%40ss@h:8000/v1"))).toBe(
      `Basic ${b64("me:p@ss")}`,
    );
    // the URL parser percent-encodes what the user typed (a space, an é); they go as their UTF-8 bytes
    expect(basicAuthorization(new URL("http://m e:pé@h"))).toBe(`Basic ${b64("m e:pé")}`);
    expect(basicAuthorization(new URL("http://me@h"))).toBe(`Basic ${b64("me:")}`);
    expect(basicAuthorization(new URL("http://:pw@h"))).toBe(`Basic ${b64(":pw")}`);
    expect(basicAuthorization(new URL("http://h:8000"))).toBeUndefined();
  });
});

describe("requestAuthorization", () => {
  const url = new URL("http://h:8000");
  it("is the key's bearer, the URL's Basic, or none (a header then goes as given)", () => {
    expect(requestAuthorization(url, "sk-1", {})).toBe("Bearer sk-1");
    expect(requestAuthorization(new URL("http://u:p@h"), undefined, { "x-api-key": "k" })).toBe(
      `Basic ${b64("u:p")}`,
    );
    expect(requestAuthorization(url, undefined, { authorization: "Bearer t" })).toBeUndefined();
  });
});
