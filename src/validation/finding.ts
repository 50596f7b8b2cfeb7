// The public shape of a validation finding: its stable code, severity, construct path, message and fix.

/**
 * How serious a finding is.
 */
export enum FindingSeverity {
  /** Synthesis fails (reported through CDK validation). */
  ERROR = 'error',
  /** Synthesis succeeds; a warning annotation is added to the construct. */
  WARNING = 'warning',
}

/**
 * One problem found by a lambda-twin validation rule.
 */
export interface Finding {
  /** Stable rule code, e.g. `LT301`. */
  readonly code: string;
  /** Error or warning. */
  readonly severity: FindingSeverity;
  /** Construct path of the resource the finding is about. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}
