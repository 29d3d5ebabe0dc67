// Reads one token at a time from the whole query text. The parser says whether an operand is
// expected, because only then does `/` open a regular expression instead of dividing.

import type { PeriodUnit } from './ast';
import { syntaxError } from './errors';

export type Token =
  | { type: 'name'; value: string; quoted: boolean; start: number; end: number }
  | { type: 'number'; value: number; start: number; end: number }
  | { type: 'duration'; amount: number; unit: PeriodUnit; start: number; end: number }
  | { type: 'string'; value: string; start: number; end: number }
  | { type: 'regex'; source: string; flags: string; start: number; end: number }
  | { type: 'punct'; value: Punct; start: number; end: number }
  | { type: 'eof'; start: number; end: number };

export type Punct =
  | '|'
  | ','
  | '('
  | ')'
  | '['
  | ']'
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '=~'
  | '+'
  | '-'
  | '*'
  | '/'
  | '^'
  | '%'
  | ':';

const TWO_CHAR_PUNCT = new Set(['!=', '<=', '>=', '=~']);
// `:` only separates a `logGroups(namePrefix: [...])` argument from its value.
const ONE_CHAR_PUNCT = new Set([
  '|',
  ',',
  '(',
  ')',
  '[',
  ']',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '^',
  '%',
  ':',
]);

const UNIT_ALIASES: Record<string, PeriodUnit> = {};
for (const [unit, aliases] of Object.entries({
  ms: ['ms', 'msec', 'msecs', 'millisecond', 'milliseconds'],
  s: ['s', 'sec', 'secs', 'second', 'seconds'],
  m: ['m', 'min', 'mins', 'minute', 'minutes'],
  h: ['h', 'hr', 'hrs', 'hour', 'hours'],
  d: ['d', 'day', 'days'],
  w: ['w', 'week', 'weeks'],
  mo: ['mo', 'month', 'months'],
  q: ['q', 'qtr', 'quarter', 'quarters'],
  y: ['y', 'yr', 'yrs', 'year', 'years'],
} satisfies Record<PeriodUnit, string[]>)) {
  for (const alias of aliases) UNIT_ALIASES[alias] = unit as PeriodUnit;
}

const STRING_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 64; // A-Z a-z _ @
}

// Dots belong to names: `input.inputTokenCount` is one flattened JSON field.
function isNamePart(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 46;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

// Skips whitespace and `#` comments (to end of line).
function skipTrivia(text: string, pos: number): number {
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
    else if (c === 35) {
      const nl = text.indexOf('\n', pos);
      pos = nl < 0 ? text.length : nl + 1;
    } else break;
  }
  return pos;
}

export function readToken(text: string, from: number, operandExpected: boolean): Token {
  const start = skipTrivia(text, from);
  if (start >= text.length) return { type: 'eof', start, end: start };
  const c = text.charCodeAt(start);
  const ch = text[start] ?? '';

  if (isNameStart(c)) {
    let end = start + 1;
    while (end < text.length && isNamePart(text.charCodeAt(end))) end++;
    return { type: 'name', value: text.slice(start, end), quoted: false, start, end };
  }
  if (ch === '`') {
    const close = text.indexOf('`', start + 1);
    if (close < 0) throw syntaxError(text, start, text.length, 'unterminated backquoted name found');
    return { type: 'name', value: text.slice(start + 1, close), quoted: true, start, end: close + 1 };
  }
  if (isDigit(c) || (ch === '.' && isDigit(text.charCodeAt(start + 1)))) return readNumber(text, start);
  if (ch === '"' || ch === "'") return readString(text, start, ch);
  if (ch === '/' && operandExpected) return readRegex(text, start);

  const two = text.slice(start, start + 2);
  if (TWO_CHAR_PUNCT.has(two)) return { type: 'punct', value: two as Punct, start, end: start + 2 };
  if (ONE_CHAR_PUNCT.has(ch)) return { type: 'punct', value: ch as Punct, start, end: start + 1 };
  throw syntaxError(text, start, start + 1, `unexpected symbol found ${ch}`);
}

function readNumber(text: string, start: number): Token {
  let end = start;
  while (isDigit(text.charCodeAt(end))) end++;
  if (text[end] === '.' && isDigit(text.charCodeAt(end + 1))) {
    end++;
    while (isDigit(text.charCodeAt(end))) end++;
  }
  if ((text[end] === 'e' || text[end] === 'E') && /^[eE][+-]?\d/.test(text.slice(end, end + 3))) {
    end += 2;
    while (isDigit(text.charCodeAt(end))) end++;
  }
  const numberEnd = end;
  while (isLetter(text.charCodeAt(end))) end++;
  const raw = text.slice(start, numberEnd);
  if (end === numberEnd) return { type: 'number', value: Number(raw), start, end };
  const unit = UNIT_ALIASES[text.slice(numberEnd, end).toLowerCase()];
  if (unit === undefined || !/^\d+$/.test(raw)) {
    throw syntaxError(text, start, end, `invalid number or time period ${text.slice(start, end)} found`);
  }
  return { type: 'duration', amount: Number(raw), unit, start, end };
}

function readString(text: string, start: number, quote: string): Token {
  let value = '';
  let pos = start + 1;
  while (pos < text.length) {
    const ch = text[pos] ?? '';
    if (ch === quote) return { type: 'string', value, start, end: pos + 1 };
    if (ch === '\\' && pos + 1 < text.length) {
      const next = text[pos + 1] ?? '';
      value += STRING_ESCAPES[next] ?? `\\${next}`; // unknown escapes stay as written
      pos += 2;
    } else {
      value += ch;
      pos++;
    }
  }
  throw syntaxError(text, start, text.length, 'unterminated string found');
}

// `/.../flags`; `\/` escapes a slash inside. The body stays as written for the RegExp constructor.
function readRegex(text: string, start: number): Token {
  let pos = start + 1;
  while (pos < text.length) {
    const ch = text[pos];
    if (ch === '\\') pos += 2;
    else if (ch === '\n') break;
    else if (ch === '/') {
      let end = pos + 1;
      while (isLetter(text.charCodeAt(end))) end++;
      return {
        type: 'regex',
        source: text.slice(start + 1, pos),
        flags: text.slice(pos + 1, end),
        start,
        end,
      };
    } else pos++;
  }
  throw syntaxError(text, start, pos, 'unterminated regular expression found');
}

// How a token reads in an error message.
export function tokenText(text: string, token: Token): string {
  return token.type === 'eof' ? '<EOF>' : text.slice(token.start, token.end);
}
