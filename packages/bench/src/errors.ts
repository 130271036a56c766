import { InfermarkError } from "@infermark/core";

/** A bench option that cannot be used as given; the message names the option and how to fix it. */
export class BenchOptionError extends InfermarkError {
  constructor(message: string) {
    super("E_BENCH_OPTION", message);
  }
}

/** A tokenizer that cannot be loaded or used (missing file, unsupported model, server without /tokenize). */
export class TokenizerError extends InfermarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_TOKENIZER", message, options);
  }
}

/** A workload file (ShareGPT JSON, JSONL) that cannot be read or holds no usable request. */
export class WorkloadFileError extends InfermarkError {
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super("E_WORKLOAD_FILE", `${path}: ${reason}`, options);
  }
}

/**
 * A response that does not follow HTTP/1.1 (bad status line, bad chunk size, oversized head), or a
 * request header that cannot be sent (a CR or LF in a name or value). The request fails; the run
 * goes on.
 */
export class HttpProtocolError extends InfermarkError {
  constructor(message: string) {
    super("E_HTTP_PROTOCOL", message);
  }
}

/** The server closed the connection before the response ended (or before it began). */
export class ConnectionClosedError extends InfermarkError {
  constructor(message = "the server closed the connection") {
    super("E_HTTP_CLOSED", message);
  }
}

/** The test request sent before a run failed: the server cannot serve the run as configured. */
export class PreflightError extends InfermarkError {
  constructor(message: string) {
    super("E_PREFLIGHT", message);
  }
}
