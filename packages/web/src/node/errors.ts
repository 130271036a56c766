import { InfermarkError } from "@infermark/core";

/** The built dashboard assets are missing or unusable. */
export class WebAssetsError extends InfermarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_WEB_ASSETS", message, options);
  }
}
