// Errors are data at the public API; inside the parser they travel as an exception so that
// deeply nested parse functions need not thread results through every return value.

export interface QueryError {
  message: string;
  startCharOffset: number;
  endCharOffset: number; // exclusive
}

export class QuerySyntaxError extends Error {
  constructor(readonly error: QueryError) {
    super(error.message);
  }
}

// AWS's compiler (ANTLR-based) reports a 1-based line and a 0-based position within that line.
function describePosition(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `at line ${line} and position ${offset - lineStart}`;
}

export function syntaxError(text: string, start: number, end: number, what: string): QuerySyntaxError {
  return new QuerySyntaxError({
    message: `${what} ${describePosition(text, start)}`,
    startCharOffset: start,
    endCharOffset: Math.max(end, start),
  });
}
