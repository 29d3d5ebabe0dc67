/**
 * An error as AWS sends it: a code (the wire `__type` / `<Code>`), AWS's message text and an
 * HTTP status. Service logic throws these; each wire protocol renders them its own way.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra members some errors carry, e.g. `queryCompileError` or `dashboardValidationMessages`. */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }

  /** Query-protocol errors say whose fault it was. */
  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** Operations the sandbox does not implement fail loudly rather than pretend. */
export function notImplemented(service: string, operation: string): AwsError {
  return new AwsError(
    'NotImplementedException',
    `The lab sandbox does not implement ${service}:${operation}. Only the operations the lab needs are emulated.`,
    501,
  );
}

/** The validation error text the AWS JSON services share (`1 validation error detected: ...`). */
export function validationErrors(code: string, problems: string[]): AwsError {
  const n = problems.length;
  return new AwsError(code, `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
}
