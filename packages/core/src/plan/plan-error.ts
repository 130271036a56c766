import { InfermarkError } from "../errors.js";

/** A sweep spec that validates but cannot be planned: an unknown template placeholder, an empty search space. */
export class PlanError extends InfermarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_PLAN", message, options);
  }
}
