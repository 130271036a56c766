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

/**
 * Speculative decoding the model cannot run: MTP asked of a model without multi-token-prediction layers. `model`
 * names it and `lack` says what it lacks, without an option's name, so that a command line can name its own flag.
 * @example new SimSpecMethodError("llama70b").message // spec.method "mtp": llama70b has no multi-token-prediction ...
 */
export class SimSpecMethodError extends InfermarkError {
  readonly model: string;
  readonly lack: string;
  constructor(model: string) {
    const lack =
      "has no multi-token-prediction (MTP) layers to draft with (num_nextn_predict_layers in a config.json, mtpParamsB in a catalog entry; DeepSeek-V3/R1 have one)";
    super(
      "E_SIM_SPEC_METHOD",
      `spec.method "mtp": ${model} ${lack}: give method "draft" for a separate draft model, or "none"`,
    );
    this.model = model;
    this.lack = lack;
  }
}

/** Weights plus the minimum KV cache do not fit in GPU memory. The message carries the numbers. */
export class DoesNotFitError extends InfermarkError {
  constructor(message: string) {
    super("E_SIM_DOES_NOT_FIT", message);
  }
}
