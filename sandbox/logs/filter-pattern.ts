import { compileRegex, type LinearRegex } from '../../insights/regex';
import { AwsError } from '../protocols/errors';

/**
 * CloudWatch Logs filter patterns (FilterLogEvents, metric filters): terms and quoted phrases
 * that must all appear, `?term` alternatives, `-term` exclusions, `%regex%`, and JSON patterns
 * such as `{ $.operation = "InvokeModel" && $.input.inputTokenCount > 10 }`.
 * Space-delimited patterns (`[ip, user, ...]`) are not emulated and fail loudly.
 */
export type EventMatcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): EventMatcher {
  const text = (pattern ?? '').trim();
  if (text === '' || text === '""') return () => true;
  if (text.startsWith('{')) return compileJsonPattern(text);
  if (text.startsWith('[')) {
    throw new AwsError(
      'NotImplementedException',
      'The lab sandbox does not emulate space-delimited filter patterns ([...]); use terms, quoted phrases or a JSON pattern.',
      501,
    );
  }
  return compileTermPattern(text);
}

function invalid(): AwsError {
  return new AwsError('InvalidParameterException', 'Invalid character(s) in term');
}

function compileTermPattern(text: string): EventMatcher {
  const required: EventMatcher[] = [];
  const optional: EventMatcher[] = [];
  const excluded: EventMatcher[] = [];
  const termRe = /\s*([?-]?)("((?:[^"\\]|\\.)*)"|%([^%]+)%|([^\s"]+))/y;
  let at = 0;
  while (at < text.length) {
    termRe.lastIndex = at;
    const m = termRe.exec(text);
    if (!m) throw invalid();
    at = termRe.lastIndex;
    const [, prefix, , quoted, regex, bare] = m;
    let matches: EventMatcher;
    if (regex !== undefined) {
      const re = compileFilterRegex(regex);
      matches = (message) => re.test(message);
    } else {
      const term = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare!;
      matches = (message) => message.includes(term);
    }
    (prefix === '?' ? optional : prefix === '-' ? excluded : required).push(matches);
  }
  return (message) =>
    required.every((m) => m(message)) &&
    (optional.length === 0 || optional.some((m) => m(message))) &&
    !excluded.some((m) => m(message));
}

// ---- JSON patterns ----

type JsonExpr =
  | { kind: 'and' | 'or'; left: JsonExpr; right: JsonExpr }
  | {
      kind: 'compare';
      path: (string | number)[];
      op: string;
      value: string | number | boolean | null;
      quoted: boolean;
    }
  | { kind: 'exists'; path: (string | number)[]; negate: boolean };

function compileJsonPattern(text: string): EventMatcher {
  const tokens = tokenizeJson(text);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++] ?? fail();
  const fail = (): never => {
    throw new AwsError('InvalidParameterException', 'Invalid filter pattern');
  };
  const expect = (t: string) => (next() === t ? undefined : fail());

  const primary = (): JsonExpr => {
    if (peek() === '(') {
      next();
      const e = or();
      expect(')');
      return e;
    }
    const selector = next();
    if (!selector.startsWith('$')) fail();
    const path = parseSelector(selector) ?? fail();
    const op = next();
    if (op === 'NOT' && peek() === 'EXISTS') {
      next();
      return { kind: 'exists', path, negate: true };
    }
    if (op === 'IS') {
      const word = next();
      if (word === 'NULL') return { kind: 'compare', path, op: '=', value: null, quoted: false };
      if (word === 'TRUE' || word === 'FALSE') {
        return { kind: 'compare', path, op: '=', value: word === 'TRUE', quoted: false };
      }
      fail();
    }
    if (!['=', '!=', '<', '>', '<=', '>='].includes(op)) fail();
    const raw = next();
    const quoted = raw.startsWith('"');
    const value = quoted ? raw.slice(1, -1) : Number.isFinite(Number(raw)) ? Number(raw) : raw;
    return { kind: 'compare', path, op, value, quoted };
  };
  const and = (): JsonExpr => {
    let left = primary();
    while (peek() === '&&') {
      next();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): JsonExpr => {
    let left = and();
    while (peek() === '||') {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };

  expect('{');
  const expr = or();
  expect('}');
  if (i !== tokens.length) fail();

  return (message) => {
    if (!message.trimStart().startsWith('{')) return false;
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    return evaluate(expr, doc);
  };
}

function tokenizeJson(text: string): string[] {
  const re = /\s*("(?:[^"\\]|\\.)*"|&&|\|\||!=|<=|>=|[{}()=<>]|[^\s{}()=<>!&|"]+)/y;
  const tokens: string[] = [];
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) {
      if (text.slice(at).trim() === '') break;
      throw new AwsError('InvalidParameterException', 'Invalid filter pattern');
    }
    tokens.push(m[1]!);
    at = re.lastIndex;
  }
  return tokens;
}

/** `$.a.b[0].c` → ['a', 'b', 0, 'c'] */
function parseSelector(selector: string): (string | number)[] | undefined {
  const path: (string | number)[] = [];
  const re = /\.([A-Za-z_@][\w@-]*)|\[(\d+)\]/y;
  let at = 1;
  while (at < selector.length) {
    re.lastIndex = at;
    const m = re.exec(selector);
    if (!m) return undefined;
    path.push(m[1] ?? Number(m[2]));
    at = re.lastIndex;
  }
  return path;
}

function lookup(doc: unknown, path: (string | number)[]): { found: boolean; value: unknown } {
  let node = doc;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !(key in node))
      return { found: false, value: undefined };
    node = (node as Record<string | number, unknown>)[key];
  }
  return { found: true, value: node };
}

function evaluate(expr: JsonExpr, doc: unknown): boolean {
  switch (expr.kind) {
    case 'and':
      return evaluate(expr.left, doc) && evaluate(expr.right, doc);
    case 'or':
      return evaluate(expr.left, doc) || evaluate(expr.right, doc);
    case 'exists':
      return lookup(doc, expr.path).found !== expr.negate;
    case 'compare': {
      const { found, value } = lookup(doc, expr.path);
      if (expr.value === null) return found && value === null;
      if (!found || value === null || typeof value === 'object') return false;
      if (typeof expr.value === 'boolean') return value === expr.value;
      if (typeof expr.value === 'number' && !expr.quoted) {
        if (typeof value !== 'number') return false;
        return compareNumbers(value, expr.op, expr.value);
      }
      const pattern = wildcard(String(expr.value));
      const equal = pattern.test(String(value));
      if (expr.op === '=') return equal;
      if (expr.op === '!=') return !equal;
      return false;
    }
  }
}

function compareNumbers(a: number, op: string, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

/** String values may use `*` as a wildcard; RE2 keeps many of them linear. */
function wildcard(value: string): LinearRegex {
  return compileRegex(`^${value.split('*').map(escapeRegExp).join('.*')}$`, 's');
}

/** `%regex%` terms are RE2, as every CloudWatch Logs regex: a bad one is AWS's parameter error. */
function compileFilterRegex(source: string): LinearRegex {
  try {
    return compileRegex(source);
  } catch {
    throw invalid();
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
