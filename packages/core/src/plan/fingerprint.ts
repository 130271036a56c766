import { stableStringify } from "../schemas/config-key.js";
import { sha256 } from "./sha256.js";

/** Hex digits kept of the SHA-256: 64 bits, far beyond any sweep's size. */
export const FINGERPRINT_LENGTH = 16;

/**
 * A short, stable hash of a value: SHA-256 of its key-sorted JSON, first 16 hex digits. Equal values give equal
 * fingerprints whatever their key order.
 * @example fingerprint({ b: 1, a: 2 }) === fingerprint({ a: 2, b: 1 }) // true
 */
export function fingerprint(value: unknown): string {
  return sha256(stableStringify(value)).slice(0, FINGERPRINT_LENGTH);
}
