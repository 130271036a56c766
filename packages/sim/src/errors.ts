import { InfermarkError } from "@infermark/core";

/** A simulator option or spec file is invalid; the message names the key and how to fix it. */
export class SimConfigError extends InfermarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_SIM_CONFIG", message, options);
  }
}

/** A key the simulator does not know; the message lists the known keys. */
export class SimUnknownKeyError extends InfermarkError {
  constructor(kind: string, key: string, known: readonly string[]) {
    super("E_SIM_UNKNOWN_KEY", `unknown ${kind} "${key}"; known: ${known.join(", ")}`);
  }
}

/** Weights plus the minimum KV cache do not fit in GPU memory. The message carries the numbers. */
export class DoesNotFitError extends InfermarkError {
  constructor(message: string) {
    super("E_SIM_DOES_NOT_FIT", message);
  }
}
