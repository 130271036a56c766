import { InfermarkError } from "@infermark/core";

/** A bad flag or argument: the message names it. Exit code 2. */
export class UsageError extends InfermarkError {
  constructor(message: string) {
    super("E_USAGE", message);
  }
}

/** A file that cannot be read or parsed. */
export class FileError extends InfermarkError {
  /** What is wrong with the file, without its path. */
  readonly reason: string;
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super("E_FILE", `${path}: ${reason}`, options);
    this.reason = reason;
  }
}
