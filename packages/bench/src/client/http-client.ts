import { NativePool } from "../http/native-pool.js";
import type { InFlightRequest, RequestInput } from "./request-tracker.js";
import { sendNative } from "./send-native.js";
import { sendRequest } from "./send-request.js";
import { UndiciPool } from "./undici-pool.js";

/** The HTTP client of the load generator: `native` (node:net/tls, the default) or `undici`. */
export const TRANSPORT_KINDS = ["native", "undici"] as const;
export type TransportKind = (typeof TRANSPORT_KINDS)[number];

/** One thread's HTTP client: a connection pool per origin, created on first use. */
export interface HttpClient {
  readonly kind: TransportKind;
  send(input: RequestInput): InFlightRequest;
  /** Closes every connection (requests in flight fail). */
  close(): Promise<void>;
}

/**
 * Makes the HTTP client of one thread for the given transport.
 * @example
 * const client = createHttpClient("native");
 * const { outcome } = client.send({ origin: "http://localhost:8000", path: "/v1/completions", headers, body, stream: true, timeoutMs: 600_000, secrets: [] });
 * await client.close();
 */
export function createHttpClient(kind: TransportKind = "native"): HttpClient {
  if (kind === "undici") {
    const pools = new Map<string, UndiciPool>();
    return {
      kind,
      send(input) {
        let pool = pools.get(input.origin);
        if (!pool) {
          pool = new UndiciPool(input.origin);
          pools.set(input.origin, pool);
        }
        return sendRequest({ ...input, dispatcher: pool });
      },
      close: async () => {
        await Promise.all([...pools.values()].map((p) => p.close()));
      },
    };
  }
  const pools = new Map<string, NativePool>();
  return {
    kind,
    send(input) {
      let pool = pools.get(input.origin);
      if (!pool) {
        pool = new NativePool(input.origin);
        pools.set(input.origin, pool);
      }
      return sendNative({ ...input, pool });
    },
    close: async () => {
      await Promise.all([...pools.values()].map((p) => p.close()));
    },
  };
}
