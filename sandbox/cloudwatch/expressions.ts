/**
 * Metric math, the arithmetic part only: numbers, query ids, `+ - * /`, unary minus and
 * parentheses (`m1 / m2 * 100`). Functions (`SUM(METRICS())`, `SEARCH(...)`, `IF`, ...) are not
 * evaluated: `parseExpression` reports them rather than guess.
 */

/** A time series as timestamp (epoch ms) -> value. */
export type TimeSeries = Map<number, number>;

type Node =
  | { kind: 'number'; value: number }
  | { kind: 'id'; id: string }
  | { kind: 'neg'; operand: Node }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Node; right: Node };

export class ExpressionError extends Error {}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()])|(\S))/y;

export function parseExpression(text: string): Node {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text))) {
    if (m[4]) throw new ExpressionError(`Unexpected character '${m[4]}'`);
    const token = m[1] ?? m[2] ?? m[3];
    if (token) tokens.push(token);
  }
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  const primary = (): Node => {
    const t = next();
    if (t === undefined) throw new ExpressionError('Unexpected end of expression');
    if (t === '(') {
      const inner = sum();
      if (next() !== ')') throw new ExpressionError("Missing ')'");
      return inner;
    }
    if (t === '-') return { kind: 'neg', operand: primary() };
    if (/^\d/.test(t)) return { kind: 'number', value: Number(t) };
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === '(')
        throw new ExpressionError(`The lab sandbox does not evaluate metric math functions (${t})`);
      return { kind: 'id', id: t };
    }
    throw new ExpressionError(`Unexpected '${t}'`);
  };
  const product = (): Node => {
    let left = primary();
    while (peek() === '*' || peek() === '/') {
      const op = next() as '*' | '/';
      left = { kind: 'binary', op, left, right: primary() };
    }
    return left;
  };
  const sum = (): Node => {
    let left = product();
    while (peek() === '+' || peek() === '-') {
      const op = next() as '+' | '-';
      left = { kind: 'binary', op, left, right: product() };
    }
    return left;
  };

  const tree = sum();
  if (pos < tokens.length) throw new ExpressionError(`Unexpected '${tokens[pos]}'`);
  return tree;
}

/** Series combine where both have a timestamp, as metric math does. */
export function evaluate(node: Node, series: (id: string) => TimeSeries): TimeSeries | number {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'id':
      return series(node.id);
    case 'neg':
      return apply('*', -1, evaluate(node.operand, series));
    case 'binary':
      return apply(node.op, evaluate(node.left, series), evaluate(node.right, series));
  }
}

function apply(
  op: '+' | '-' | '*' | '/',
  a: TimeSeries | number,
  b: TimeSeries | number,
): TimeSeries | number {
  const f = (x: number, y: number) => (op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y);
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  const out: TimeSeries = new Map();
  if (typeof a === 'number') for (const [t, v] of b as TimeSeries) out.set(t, f(a, v));
  else if (typeof b === 'number') for (const [t, v] of a) out.set(t, f(v, b));
  else for (const [t, v] of a) if (b.has(t)) out.set(t, f(v, b.get(t)!));
  // Division by zero gives no datapoint rather than Infinity.
  for (const [t, v] of out) if (!Number.isFinite(v)) out.delete(t);
  return out;
}
