/** Base class of every error infermark's core raises: a stable `code` and a message that says how to fix it. */
export class InfermarkError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A document (PointResult, SweepSpec, catalog override) failed its schema. */
export class ValidationError extends InfermarkError {
  readonly issues: readonly ValidationIssue[];
  constructor(what: string, issues: readonly ValidationIssue[]) {
    super(
      "E_VALIDATION",
      `${what} is invalid: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`,
    );
    this.issues = issues;
  }
}

/** One schema violation: a dotted path into the document and what was expected there. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** A catalog key (GPU, model, price tier) that does not exist. The message lists the known keys. */
export class UnknownKeyError extends InfermarkError {
  constructor(kind: string, key: string, known: readonly string[]) {
    super("E_UNKNOWN_KEY", `unknown ${kind} "${key}"; known: ${known.join(", ")}`);
  }
}
