import { now } from "../clock.js";
import { ConnectionClosedError } from "../errors.js";
import {
  type ConnectionOwner,
  type ConnectTarget,
  type ExchangeSink,
  NativeConnection,
} from "./native-connection.js";
import { requestHead } from "./request-head.js";

/** Options of a NativePool. */
export interface NativePoolOptions {
  /** How long an idle connection is kept for the next request. @default 60000 */
  keepAliveTimeoutMs?: number;
  /** Limit on opening a connection (TCP, and TLS for https). @default 10000 */
  connectTimeoutMs?: number;
  /** Certificates (PEM) trusted for https instead of the built-in CA list (a private CA, tests). */
  ca?: string | Buffer;
}

/** One request for the native transport. */
export interface NativeRequest {
  method: string;
  path: string;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** A request handed to the pool. */
export interface Exchange {
  /** Stops the exchange now: its connection is closed and its sink hears nothing more. */
  abort(): void;
}

/**
 * The connections of one origin for the native HTTP/1.1 transport. Connections are not capped
 * (a request never queues behind another, so `tSend` is when it goes out): the pool grows to the
 * concurrency and keeps idle keep-alive connections for reuse, most recently used first. A
 * request whose reused connection turns out closed before any byte of the answer (the server
 * dropped an idle connection) is sent once more on a new connection.
 * @example
 * const pool = new NativePool("http://localhost:8000");
 * pool.request({ method: "POST", path: "/v1/completions", headers, body }, sink);
 * await pool.close();
 */
export class NativePool implements ConnectionOwner {
  private readonly target: ConnectTarget;
  private readonly host: string;
  private readonly keepAliveTimeoutMs: number;
  private readonly idleList: NativeConnection[] = [];
  private readonly open = new Set<NativeConnection>();
  private opened = 0;
  private isClosed = false;

  constructor(origin: string, options: NativePoolOptions = {}) {
    const url = new URL(origin);
    const tls = url.protocol === "https:";
    this.host = url.host;
    this.target = {
      tls,
      host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: Number(url.port || (tls ? 443 : 80)),
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      ca: options.ca,
    };
    this.keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? 60_000;
  }

  /** Connections open now. */
  get connections(): number {
    return this.open.size;
  }

  /** Connections opened since the pool was made. */
  get connectionsOpened(): number {
    return this.opened;
  }

  /**
   * Sends one request; its response goes to `sink`. A header that cannot be sent throws
   * HttpProtocolError here, before anything is written.
   */
  request(req: NativeRequest, sink: ExchangeSink): Exchange {
    const text =
      requestHead(req.method, req.path, this.host, req.headers, Buffer.byteLength(req.body)) +
      req.body;
    let conn: NativeConnection | undefined;
    let stopped = false;
    let retried = false;
    const start = (fresh: boolean) => {
      conn = fresh ? undefined : this.takeIdle();
      if (!conn) conn = this.connect();
      conn.send(text, relay);
    };
    const relay: ExchangeSink = {
      onHead: (status, headers, keepAlive) => sink.onHead(status, headers, keepAlive),
      onBody: (bytes, t) => sink.onBody(bytes, t),
      onComplete: (t) => sink.onComplete(t),
      onError: (error, t, responseStarted, connected) => {
        if (!retried && !stopped && !this.isClosed && conn?.staleFailure) {
          retried = true;
          start(true);
          return;
        }
        sink.onError(error, t, responseStarted, connected);
      },
    };
    if (this.isClosed) {
      sink.onError(new ConnectionClosedError("the connection pool is closed"), now(), false, false);
    } else {
      start(false);
    }
    return {
      abort: () => {
        stopped = true;
        conn?.abort();
      },
    };
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    this.isClosed = true;
    this.idleList.length = 0;
    for (const c of [...this.open]) c.abort();
  }

  /** @internal a response ended on a keep-alive connection */
  idle(c: NativeConnection): void {
    if (this.isClosed) {
      c.close();
      return;
    }
    c.rest(this.keepAliveTimeoutMs);
    this.idleList.push(c);
  }

  /** @internal the connection is gone */
  closed(c: NativeConnection): void {
    this.open.delete(c);
    const i = this.idleList.indexOf(c);
    if (i >= 0) this.idleList.splice(i, 1);
  }

  private takeIdle(): NativeConnection | undefined {
    for (let c = this.idleList.pop(); c; c = this.idleList.pop()) {
      if (c.usable) {
        c.wake();
        return c;
      }
    }
    return undefined;
  }

  private connect(): NativeConnection {
    const c = new NativeConnection(this.target, this);
    this.open.add(c);
    this.opened++;
    return c;
  }
}
