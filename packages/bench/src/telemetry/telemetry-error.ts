/** A power sampler or metrics scrape that cannot start or read: the message says which tool and why. */
export class TelemetryError extends Error {
  readonly code = "E_TELEMETRY";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TelemetryError";
  }
}
