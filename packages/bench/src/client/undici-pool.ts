import { Client, type Dispatcher } from "undici";
import { ConnectionClosedError } from "../errors.js";

/**
 * Options of each connection: none of undici's timeouts cuts a long stream (the request's own `timeoutMs` does); an
 * idle connection is kept a minute, as the native transport's are.
 */
const CLIENT_OPTIONS = { headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 60_000 } as const;

/**
 * The connections of one origin for the `undici` transport, one undici `Client` each, kept as the native transport's
 * pool keeps its own: never capped (a request never queues behind another, so `tSend` is when it goes out), the pool
 * grows to the concurrency, and a connection whose exchange has ended is handed to the next request, most recently
 * used first. (undici's own `Pool` takes a connection back only a turn of the event loop after its response, so a
 * closed loop, which sends the next request as one ends, opened more connections than its concurrency: 6 for 4.)
 * undici itself still writes a request on a reused connection a turn of the event loop later, after checking that the
 * server has not closed it meanwhile. A request sent again
 * after its kept-alive connection closed under it goes out on the same slot (`resend`): a new connection, which then
 * stays in the pool.
 * @example
 * const pool = new UndiciPool("http://localhost:8000");
 * pool.dispatch({ origin, path: "/v1/completions", method: "POST", headers, body }, handler);
 * await pool.close();
 */
export class UndiciPool {
  private readonly clients: Client[] = [];
  /** Clients whose last exchange has ended, the most recently used last. */
  private readonly idle: Client[] = [];
  /** The exchange holding each busy client (a resent request takes its client over from the failed one). */
  private readonly holder = new Map<Client, object>();
  /** The client each request went out on, by its dispatch options. */
  private readonly carrier = new WeakMap<object, Client>();
  private isClosed = false;

  constructor(private readonly origin: string) {}

  /** Sends a request on an idle connection, or a new one. Throws ConnectionClosedError once the pool is closed. */
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void {
    if (this.isClosed) throw new ConnectionClosedError("the connection pool is closed");
    this.send(this.idle.pop() ?? this.add(), options, handler, false);
  }

  /**
   * Sends again a request (the same `options`) whose kept-alive connection was closed under it before any byte of
   * the answer: on the client that carried it, whose closed connection is gone, so undici opens a new one there (not
   * another idle one of the pool, which the server may be closing too). Call it from the failed exchange's
   * `onResponseError`; the request goes out once undici has finished with the closed connection. Returns false,
   * sending nothing, when the pool is closed or did not send the request.
   */
  resend(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const client = this.carrier.get(options);
    if (client === undefined || this.isClosed) return false;
    this.send(client, options, handler, true);
    return true;
  }

  /** Closes every connection (requests in flight fail). */
  async close(): Promise<void> {
    this.isClosed = true;
    this.idle.length = 0;
    await Promise.all(this.clients.map((c) => c.destroy().catch(() => {})));
  }

  private add(): Client {
    const client = new Client(this.origin, CLIENT_OPTIONS);
    this.clients.push(client);
    return client;
  }

  private send(
    client: Client,
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
    deferred: boolean,
  ): void {
    const exchange = {};
    this.holder.set(client, exchange);
    this.carrier.set(options, client);
    // given back as the exchange ends, unless a resend took the client over meanwhile
    const release = () => {
      if (this.holder.get(client) !== exchange) return;
      this.holder.delete(client);
      if (!this.isClosed) this.idle.push(client);
    };
    const relay: Dispatcher.DispatchHandler = {
      onRequestStart: (c, context) => handler.onRequestStart?.(c, context),
      onResponseStart: (c, status, headers, text) =>
        handler.onResponseStart?.(c, status, headers, text),
      onResponseData: (c, chunk) => handler.onResponseData?.(c, chunk),
      onResponseEnd: (c, trailers) => {
        release();
        handler.onResponseEnd?.(c, trailers);
      },
      onResponseError: (c, error) => {
        handler.onResponseError?.(c, error);
        release();
      },
    };
    if (deferred) queueMicrotask(() => client.dispatch(options, relay));
    else client.dispatch(options, relay);
  }
}
