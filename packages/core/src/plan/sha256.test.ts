import { describe, expect, it } from "vitest";
import { concurrencyLevels } from "./concurrency-levels.js";
import { fingerprint } from "./fingerprint.js";
import { sha256 } from "./sha256.js";

describe("sha256", () => {
  it("matches the FIPS 180-2 test vectors", () => {
    expect(sha256("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it("hashes UTF-8 and inputs longer than one block", () => {
    // Values from `printf '%s' ... | sha256sum`.
    expect(sha256("é")).toBe("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
    expect(sha256("a".repeat(1000))).toBe(
      "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3",
    );
  });
});

describe("fingerprint", () => {
  it("ignores key order and undefined fields", () => {
    expect(fingerprint({ b: 1, a: [1, 2], c: undefined })).toBe(fingerprint({ a: [1, 2], b: 1 }));
    expect(fingerprint({ a: 1 })).toHaveLength(16);
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
  });
});

describe("concurrencyLevels", () => {
  it("sorts and dedupes a list", () => {
    expect(concurrencyLevels([8, 1, 4, 4])).toEqual([1, 4, 8]);
  });
  it("expands a geometric range up to its end", () => {
    expect(concurrencyLevels({ from: 4, to: 64, factor: 2 })).toEqual([4, 8, 16, 32, 64]);
    expect(concurrencyLevels({ from: 1, to: 100, factor: 4 })).toEqual([1, 4, 16, 64]);
    expect(concurrencyLevels({ from: 4, to: 20, factor: 1.5 })).toEqual([4, 6, 9, 14]);
  });
});
