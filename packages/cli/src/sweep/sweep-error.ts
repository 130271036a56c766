import { InfermarkError } from "@infermark/core";

/** A sweep that cannot start (bad options, no sbatch, an unwritable output folder). Point failures are data. */
export class SweepError extends InfermarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_SWEEP", message, options);
  }
}

/** Why one server configuration's points failed: the reason is recorded with each point, with the log tail. */
export class ServerFailure extends InfermarkError {
  readonly logTail: string;
  constructor(message: string, logTail = "", options?: { cause?: unknown }) {
    super("E_SERVER", message, options);
    this.logTail = logTail;
  }
}

/**
 * A server configuration that another sweep, running now, is measuring in the same output folder: its points fail
 * in this sweep without failure records, which would sit beside the other sweep's results.
 */
export class ServerBusy extends ServerFailure {}

/**
 * A sweep stopped (Ctrl-C) while a server was loading: its points were not measured, and they did not fail either,
 * so they get no failure record (the next run measures them, as it does the points of servers not yet started).
 */
export class ServerInterrupted extends ServerFailure {}
