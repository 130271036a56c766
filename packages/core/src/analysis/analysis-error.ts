import { InfermarkError } from "../errors.js";

/** A bad analysis request: an unknown metric or grouping dimension, a malformed filter expression, bad knots. */
export class AnalysisError extends InfermarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_ANALYSIS", message, options);
  }
}
