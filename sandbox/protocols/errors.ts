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

/** Input members a handler does not emulate fail loudly when given, rather than being ignored. */
export function rejectUnsupported(
  service: string,
  operation: string,
  input: object,
  members: readonly string[],
): void {
  const given = members.filter((m) => {
    const v = (input as Record<string, unknown>)[m];
    return v !== undefined && !(Array.isArray(v) && v.length === 0);
  });
  if (given.length) {
    throw new AwsError(
      'NotImplementedException',
      `The lab sandbox does not implement ${given.join(', ')} of ${service}:${operation}.`,
      501,
    );
  }
}

/** The validation error text AWS's services share (`1 validation error detected: ...`). */
export function validationErrors(code: string, problems: string[]): AwsError {
  const n = problems.length;
  return new AwsError(code, `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
}

/**
 * One failed constraint as AWS words it, e.g. `Value '0' at 'limit' failed to satisfy constraint:
 * Member must have value greater than or equal to 1`. A missing value is written `null`, unquoted;
 * a sensitive member's value is left out (`Value at 'secretString' failed to ...`).
 */
export function constraintText(value: unknown, member: string, constraint: string, hidden = false): string {
  const shown =
    value === undefined || value === null
      ? ' null'
      : hidden
        ? ''
        : ` '${typeof value === 'object' ? JSON.stringify(value) : String(value)}'`;
  return `Value${shown} at '${member}' failed to satisfy constraint: ${constraint}`;
}

/** The bound a number breaks (`Member must have value ...`), or undefined when it is within. */
export function rangeConstraint(n: number, min: number, max: number): string | undefined {
  if (n < min) return `Member must have value greater than or equal to ${min}`;
  if (n > max) return `Member must have value less than or equal to ${max}`;
  return undefined;
}

/** The bound a text's length breaks (`Member must have length ...`), or undefined when it is within. */
export function lengthConstraint(text: string, min: number, max: number): string | undefined {
  if (text.length < min) return `Member must have length greater than or equal to ${min}`;
  if (text.length > max) return `Member must have length less than or equal to ${max}`;
  return undefined;
}
