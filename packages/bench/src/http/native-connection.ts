import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { deferWork } from "../client/deferred-work.js";
import { now } from "../clock.js";
import { ConnectionClosedError } from "../errors.js";
import { type ResponseEvents, ResponseParser } from "./response-parser.js";

/** Where a connection's responses go: one exchange (request and response) at a time. */
export interface ExchangeSink extends ResponseEvents {
  /**
   * The exchange failed at `t`: connect error, socket error, the server closing before the
   * response ended, a malformed response. `responseStarted`: the head had arrived; `connected`: the
   * connection had opened (for https, TLS too), so the request went out and the server dropped it.
   */
  onError(error: Error, t: number, responseStarted: boolean, connected: boolean): void;
}

/** Where a connection reports to its pool. */
export interface ConnectionOwner {
  /** The response ended and the connection may carry another request. */
  idle(c: NativeConnection): void;
  /** The connection is closed (or closing) and must not be used again. */
  closed(c: NativeConnection): void;
}

/** Where to connect. */
export interface ConnectTarget {
  tls: boolean;
  host: string;
  port: number;
  connectTimeoutMs: number;
  /** Certificates trusted for https instead of the built-in CA list. */
  ca?: string | Buffer;
}

/**
 * Reads land in one buffer shared by every plain-TCP connection of this thread (reads run one
 * at a time and are parsed in their callback; only body bytes are copied out), so no per-read
 * allocation of a read buffer happens.
 */
const readBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * One HTTP/1.1 connection of the native transport (`node:net`, or `node:tls` for https). The
 * read callback stamps the read with `now()` first, then de-frames it at once (a few byte
 * compares: measured cheaper for stamp accuracy than deferring it, see docs/performance.md) and
 * hands the body bytes, with the stamp, to the exchange's sink, which keeps them: SSE scanning
 * and JSON run later as deferred work. The end of a response is reported as deferred work too,
 * so a stream's final parse never runs between two reads of one poll phase.
 */
export class NativeConnection {
  readonly socket: Socket;
  /** Requests this connection has carried (a reused connection has carried one before). */
  served = 0;
  isClosed = false;
  /** The connection opened (for https: TLS too). */
  private connected = false;
  private readonly parser: ResponseParser;
  private sink: ExchangeSink | undefined;
  private keepAlive = false;
  /** Bytes read for the current exchange (none: a stale keep-alive connection may be retried). */
  private received = 0;
  /** Body pieces are views into the shared read buffer and must be copied before they are kept. */
  private readonly copyBody: boolean;

  constructor(
    target: ConnectTarget,
    private readonly owner: ConnectionOwner,
  ) {
    this.parser = new ResponseParser({
      onHead: (status, headers, keepAlive) => {
        this.keepAlive = keepAlive;
        this.sink?.onHead(status, headers, keepAlive);
      },
      onBody: (bytes, t) => {
        if (!this.sink) return;
        if (this.copyBody) {
          const copy = Buffer.allocUnsafe(bytes.length);
          copy.set(bytes);
          this.sink.onBody(copy, t);
        } else {
          this.sink.onBody(bytes, t);
        }
      },
      onComplete: (t) => this.complete(t),
    });
    this.copyBody = !target.tls;
    if (target.tls) {
      this.socket = tlsConnect({
        host: target.host,
        port: target.port,
        servername: isIp(target.host) ? undefined : target.host,
        ALPNProtocols: ["http/1.1"],
        ...(target.ca ? { ca: target.ca } : {}),
      });
      this.socket.on("data", (chunk: Buffer) => {
        const t = now();
        this.read(chunk, t);
      });
    } else {
      this.socket = netConnect({
        host: target.host,
        port: target.port,
        onread: {
          buffer: readBuffer,
          callback: (n: number) => {
            const t = now();
            this.read(readBuffer.subarray(0, n), t);
            return true;
          },
        },
      });
    }
    this.socket.setNoDelay(true);
    // a timer, not the socket's idle timeout: the TLS hello's write restarts that, so a handshake the server never
    // answers took twice the limit
    const connectTimer = setTimeout(() => {
      const e = new Error(`connect timeout (${target.connectTimeoutMs} ms)`);
      this.socket.destroy(Object.assign(e, { code: "ETIMEDOUT" }));
    }, target.connectTimeoutMs);
    this.socket.once(target.tls ? "secureConnect" : "connect", () => {
      this.connected = true;
      clearTimeout(connectTimer);
    });
    this.socket.on("timeout", () => {
      this.socket.destroy(
        Object.assign(new Error("keep-alive idle timeout"), { code: "ETIMEDOUT" }),
      );
    });
    this.socket.on("end", () => this.onEof(now()));
    this.socket.on("error", (e) => this.fail(e, now()));
    this.socket.on("close", () => {
      clearTimeout(connectTimer);
      this.fail(new ConnectionClosedError(), now());
    });
  }

  /** Whether the connection can take a request now. */
  get usable(): boolean {
    return !this.isClosed && this.sink === undefined && !this.socket.destroyed;
  }

  /** Whether the current exchange may be retried on a fresh connection (nothing read, reused). */
  get staleFailure(): boolean {
    return this.served > 1 && this.received === 0;
  }

  /** Sends one request (the whole text: head and body) and routes its response to `sink`. */
  send(text: string, sink: ExchangeSink): void {
    this.sink = sink;
    this.served++;
    this.received = 0;
    this.keepAlive = false;
    this.parser.reset();
    this.socket.ref();
    this.socket.write(text);
  }

  /** Drops the current exchange (no further callback to its sink) and closes the connection. */
  abort(): void {
    this.sink = undefined;
    this.close();
  }

  /** Closes the connection now. */
  close(): void {
    if (!this.isClosed) {
      this.isClosed = true;
      this.owner.closed(this);
    }
    this.socket.destroy();
  }

  /** Keeps an idle connection open for `ms` without holding the process alive. */
  rest(ms: number): void {
    this.socket.unref();
    this.socket.setTimeout(ms);
  }

  /** Takes the connection out of rest. */
  wake(): void {
    this.socket.setTimeout(0);
  }

  /** Parses one read (stamped `t`) into the current exchange. */
  private read(chunk: Buffer, t: number): void {
    if (this.isClosed) return;
    if (this.sink === undefined) {
      // bytes that answer no request: the connection cannot be trusted any more
      this.close();
      return;
    }
    this.received += chunk.length;
    let used: number;
    try {
      used = this.parser.execute(chunk, t);
    } catch (e) {
      this.fail(e as Error, t);
      return;
    }
    if (used < chunk.length) this.close();
  }

  private complete(t: number): void {
    const sink = this.sink;
    this.sink = undefined;
    if (this.keepAlive && !this.isClosed) this.owner.idle(this);
    else this.close();
    if (sink) deferWork(() => sink.onComplete(t));
  }

  private onEof(t: number): void {
    if (this.sink && this.parser.end(t)) return;
    this.fail(new ConnectionClosedError(), t);
  }

  private fail(error: Error, t: number): void {
    const sink = this.sink;
    this.sink = undefined;
    this.close();
    sink?.onError(error, t, this.parser.headDone, this.connected);
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(":");
}
