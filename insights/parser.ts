// Pratt parser for CWLI queries: commands separated by `|`, expressions with operator precedence.
// It drives the tokenizer token by token, telling it whether an operand is expected (so `/` reads
// as a regex) and validates every function call against the function table.

import type {
  CallExpr,
  Command,
  Expr,
  FieldRef,
  LogGroupSelection,
  ParseCommand,
  ParsedQuery,
  Projection,
  RegexLit,
  SortKey,
  SourceCommand,
  StatsCommand,
  StringLit,
} from './ast';
import { syntaxError } from './errors';
import { lookupFunction, paramKind, type FunctionDef } from './functions';
import { readToken, tokenText, type Punct, type Token } from './tokenizer';
import { compileRegex, groupNames } from './regex';

// The brief for this engine caps `limit` at 10,000 (newer AWS documentation allows 100,000).
export const MAX_QUERY_LIMIT = 10_000;
const MAX_STATS_COMMANDS = 2;

const RESERVED = new Set(['and', 'or', 'not', 'like', 'in', 'as', 'by', 'asc', 'desc']);

const BP_OR = 10;
const BP_AND = 20;
const BP_NOT = 30;
const BP_COMPARE = 40;
const BP_ADD = 50;
const BP_MUL = 60;
const BP_POW = 70;
const BP_NEG = 80;

const PUNCT_POWER: Partial<Record<Punct, number>> = {
  '=': BP_COMPARE,
  '!=': BP_COMPARE,
  '<': BP_COMPARE,
  '<=': BP_COMPARE,
  '>': BP_COMPARE,
  '>=': BP_COMPARE,
  '=~': BP_COMPARE,
  '+': BP_ADD,
  '-': BP_ADD,
  '*': BP_MUL,
  '/': BP_MUL,
  '%': BP_MUL,
  '^': BP_POW,
};

type AggregateContext = 'forbidden' | 'allowed' | 'nested';

export function parse(text: string): ParsedQuery {
  return new Parser(text).parseQuery();
}

function keyword(token: Token, word: string): boolean {
  return token.type === 'name' && !token.quoted && token.value.toLowerCase() === word;
}

function isPunct(token: Token, value: Punct): boolean {
  return token.type === 'punct' && token.value === value;
}

class Parser {
  private pos = 0;
  private peeked: { pos: number; operand: boolean; token: Token } | null = null;
  private consumed: Token[] = []; // every token taken, to rebuild expressions as written
  private aggregates: AggregateContext = 'forbidden';

  constructor(private readonly text: string) {}

  parseQuery(): ParsedQuery {
    const commands: Command[] = [];
    let statsCount = 0;
    for (;;) {
      const nameToken = this.next(true);
      if (nameToken.type === 'eof') {
        throw commands.length === 0
          ? syntaxError(this.text, 0, this.text.length, 'query is empty')
          : this.unexpected(nameToken);
      }
      if (nameToken.type !== 'name' || nameToken.quoted) throw this.unexpected(nameToken);
      const name = nameToken.value.toLowerCase();
      if (name === 'source' && commands.some((c) => c.kind !== 'source')) {
        throw this.error(nameToken, 'SOURCE must come before every other command');
      }
      if (name === 'stats' && ++statsCount > MAX_STATS_COMMANDS) {
        throw this.error(nameToken, `a query can contain at most ${MAX_STATS_COMMANDS} stats commands`);
      }
      commands.push(this.parseCommand(name, nameToken));
      const after = this.next(false);
      if (after.type === 'eof') return { text: this.text, commands };
      if (!isPunct(after, '|')) throw this.unexpected(after);
    }
  }

  // --- token plumbing

  private peek(operand: boolean): Token {
    const p = this.peeked;
    if (p !== null && p.pos === this.pos && p.operand === operand) return p.token;
    const token = readToken(this.text, this.pos, operand);
    this.peeked = { pos: this.pos, operand, token };
    return token;
  }

  private next(operand: boolean): Token {
    const token = this.peek(operand);
    this.pos = token.end;
    if (token.type !== 'eof') this.consumed.push(token);
    return token;
  }

  private expectPunct(value: Punct): Token {
    const token = this.next(false);
    if (!isPunct(token, value)) throw this.unexpected(token);
    return token;
  }

  private unexpected(token: Token) {
    return token.type === 'eof'
      ? syntaxError(this.text, token.start, token.end, 'unexpected end of query found')
      : this.error(token, `unexpected symbol found ${tokenText(this.text, token)}`);
  }

  private error(span: { start: number; end: number }, what: string) {
    return syntaxError(this.text, span.start, span.end, what);
  }

  // The tokens consumed since `from`, joined the way AWS names unaliased columns: as written,
  // with comments dropped, whitespace runs collapsed to one space, and no space inside
  // brackets or before commas (`count( * )` -> `count(*)`, `sum(a+b)` stays `sum(a+b)`).
  private writtenSince(from: number): string {
    const tokens = this.consumed.slice(from);
    let out = '';
    let prev: Token | undefined;
    for (const t of tokens) {
      if (prev !== undefined) {
        const gap = prev.end < t.start;
        const tight =
          isPunct(prev, '(') || isPunct(prev, '[') || isPunct(t, ')') || isPunct(t, ']') || isPunct(t, ',');
        if (gap && !tight) out += ' ';
      }
      out += this.text.slice(t.start, t.end);
      prev = t;
    }
    return out;
  }

  // --- commands

  private parseCommand(name: string, nameToken: Token): Command {
    const start = nameToken.start;
    switch (name) {
      case 'fields': {
        const items = this.parseProjections();
        return { kind: 'fields', items, start, end: this.pos };
      }
      case 'display': {
        const fields = this.parseFieldList();
        return { kind: 'display', fields, start, end: this.pos };
      }
      case 'filter': {
        const expr = this.parseValue(0);
        return { kind: 'filter', expr, start, end: this.pos };
      }
      case 'stats':
        return this.parseStats(start);
      case 'sort': {
        const keys: SortKey[] = [];
        do {
          const expr = this.parseValue(0);
          const dir = this.peek(false);
          let descending = true; // AWS sorts descending unless told otherwise
          if (keyword(dir, 'asc') || keyword(dir, 'desc')) {
            this.next(false);
            descending = keyword(dir, 'desc');
          }
          keys.push({ expr, descending });
        } while (this.acceptComma());
        return { kind: 'sort', keys, start, end: this.pos };
      }
      case 'limit': {
        const token = this.next(true);
        if (token.type !== 'number') throw this.unexpected(token);
        if (!Number.isInteger(token.value) || token.value < 1 || token.value > MAX_QUERY_LIMIT) {
          throw this.error(token, `limit must be a whole number from 1 to ${MAX_QUERY_LIMIT}`);
        }
        return { kind: 'limit', count: token.value, start, end: this.pos };
      }
      case 'parse':
        return this.parseParse(start);
      case 'dedup': {
        const fields = this.parseFieldList();
        return { kind: 'dedup', fields, start, end: this.pos };
      }
      case 'source':
        return this.parseSource(start);
      default:
        throw this.error(nameToken, `unknown command ${tokenText(this.text, nameToken)}`);
    }
  }

  private acceptComma(): boolean {
    if (!isPunct(this.peek(false), ',')) return false;
    this.next(false);
    return true;
  }

  private parseProjections(): Projection[] {
    const items: Projection[] = [];
    do {
      const from = this.consumed.length;
      const expr = this.parseValue(0);
      const written = expr.kind === 'field' ? expr.name : this.writtenSince(from);
      let alias: string | undefined;
      if (keyword(this.peek(false), 'as')) {
        this.next(false);
        alias = this.parseFieldName().name;
      }
      items.push({ expr, alias, outputName: alias ?? written, start: expr.start, end: this.pos });
    } while (this.acceptComma());
    return items;
  }

  private parseFieldName(): FieldRef {
    const token = this.next(true);
    if (token.type !== 'name' || (!token.quoted && RESERVED.has(token.value.toLowerCase()))) {
      throw this.unexpected(token);
    }
    return { kind: 'field', name: token.value, start: token.start, end: token.end };
  }

  private parseFieldList(): FieldRef[] {
    const fields: FieldRef[] = [];
    do fields.push(this.parseFieldName());
    while (this.acceptComma());
    return fields;
  }

  private parseStats(start: number): StatsCommand {
    this.aggregates = 'allowed';
    const items = this.parseProjections();
    this.aggregates = 'forbidden';
    let groupBy: Projection[] = [];
    if (keyword(this.peek(false), 'by')) {
      this.next(false);
      groupBy = this.parseProjections();
    }
    // Outside aggregate calls an item may only use the names of earlier items, as in
    // `stats max(a) as hi, min(a) as lo, hi - lo as range`.
    const earlier = new Set<string>();
    for (const item of items) {
      let usesAggregate = false;
      for (const ref of refsOutsideAggregates(item.expr, () => (usesAggregate = true))) {
        if (!earlier.has(ref.name)) {
          throw this.error(ref, `field ${ref.name} must be used inside an aggregate function in stats`);
        }
        usesAggregate = true;
      }
      if (!usesAggregate) throw this.error(item, 'stats needs an aggregate function such as count()');
      earlier.add(item.outputName);
    }
    return { kind: 'stats', items, groupBy, start, end: this.pos };
  }

  private parseParse(start: number): ParseCommand {
    // `parse "pattern"` without a field reads @message.
    const first = this.peek(true);
    const source: FieldRef =
      first.type === 'string' || first.type === 'regex'
        ? { kind: 'field', name: '@message', start: first.start, end: first.start }
        : this.parseFieldName();
    const patternToken = this.next(true); // after the field comes a pattern, so `/` opens a regex
    if (patternToken.type === 'string') {
      const pieces = patternToken.value.split('*');
      const wildcards = pieces.length - 1;
      if (!keyword(this.peek(false), 'as')) throw this.unexpected(this.next(false));
      this.next(false);
      const names = this.parseFieldList().map((f) => f.name);
      if (names.length !== wildcards) {
        throw this.error(
          { start, end: this.pos },
          `parse pattern has ${wildcards} wildcard(s) but ${names.length} field name(s) after as`,
        );
      }
      // Unanchored; each `*` captures lazily except a trailing one, which takes the rest.
      const body = pieces
        .map((piece) => piece.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
        .map((piece, i) => (i === 0 ? piece : (i === wildcards && piece === '' ? '(.*)' : '(.*?)') + piece))
        .join('');
      return {
        kind: 'parse',
        source,
        pattern: { kind: 'glob', text: patternToken.value },
        regex: compileRegex(body, 's'),
        names,
        start,
        end: this.pos,
      };
    }
    if (patternToken.type === 'regex') {
      const regex = this.compileRegex(patternToken);
      const names = groupNames(regex.regex);
      if (names.length === 0) {
        throw this.error(patternToken, 'a parse regular expression needs named groups such as (?<name>...)');
      }
      return {
        kind: 'parse',
        source,
        pattern: { kind: 'regex', source: patternToken.source },
        regex: regex.regex,
        names,
        start,
        end: this.pos,
      };
    }
    throw this.unexpected(patternToken);
  }

  // SOURCE "group" ["group" ...] [START=<time>] [END=<time>], or SOURCE logGroups(...) [START=...]
  private parseSource(start: number): SourceCommand {
    const command: SourceCommand = { kind: 'source', logGroups: [], start, end: start };
    if (keyword(this.peek(true), 'loggroups')) {
      this.next(true);
      command.selection = this.parseLogGroupSelection();
    }
    for (;;) {
      const token = this.peek(true);
      if (token.type === 'string' && !command.selection) {
        this.next(true);
        command.logGroups.push(token.value);
      } else if (keyword(token, 'start') || keyword(token, 'end')) {
        this.next(true);
        this.expectPunct('=');
        const valueFrom = this.consumed.length;
        if (isPunct(this.peek(true), '-')) this.next(true);
        const value = this.next(true);
        if (value.type !== 'number' && value.type !== 'duration') throw this.unexpected(value);
        const written = this.writtenSince(valueFrom).replace(/ /g, '');
        if (keyword(token, 'start')) command.startTime = written;
        else command.endTime = written;
      } else break;
    }
    if (command.logGroups.length === 0 && !command.selection) throw this.unexpected(this.next(true));
    command.end = this.pos;
    return command;
  }

  // ( [key: 'v' | key: ['v', ...] (, ...)] ): the keys CWL_QuerySyntax-Source.html documents
  private parseLogGroupSelection(): LogGroupSelection {
    const selection: LogGroupSelection = { namePrefixes: [], accountIdentifiers: [], logClasses: [] };
    const lists: Record<string, string[]> = {
      nameprefix: selection.namePrefixes,
      accountidentifiers: selection.accountIdentifiers,
      class: selection.logClasses,
      loggroupclass: selection.logClasses,
    };
    this.expectPunct('(');
    if (isPunct(this.peek(false), ')')) {
      this.next(false);
      return selection;
    }
    for (;;) {
      const key = this.next(true);
      const list = key.type === 'name' && !key.quoted ? lists[key.value.toLowerCase()] : undefined;
      if (list === undefined) throw this.unexpected(key);
      this.expectPunct(':');
      list.push(...this.parseStringOrList());
      const after = this.next(false);
      if (isPunct(after, ')')) return selection;
      if (!isPunct(after, ',')) throw this.unexpected(after);
    }
  }

  private parseStringOrList(): string[] {
    const bracket = isPunct(this.peek(true), '[');
    if (bracket) this.next(true);
    const values: string[] = [];
    for (;;) {
      if (bracket && values.length === 0 && isPunct(this.peek(true), ']')) break;
      const value = this.next(true);
      if (value.type !== 'string') throw this.unexpected(value);
      values.push(value.value);
      if (!bracket || !isPunct(this.peek(false), ',')) break;
      this.next(false);
    }
    if (bracket) this.expectPunct(']');
    return values;
  }

  // --- expressions

  // An expression that yields a value (not a bare regex or time period).
  private parseValue(rbp: number): Expr {
    const expr = this.parseExpr(rbp);
    this.assertValue(expr);
    return expr;
  }

  private assertValue(expr: Expr): void {
    if (expr.kind === 'regex') {
      throw this.error(expr, 'a regular expression can only follow like or =~, or be a parse pattern');
    }
    if (expr.kind === 'duration') {
      throw this.error(
        expr,
        'a time period such as 5m can only be an argument of bin, datefloor or dateceil',
      );
    }
  }

  private parseExpr(rbp: number): Expr {
    let left = this.nud(this.next(true));
    for (;;) {
      const token = this.peek(false);
      const lbp = this.infixPower(token);
      if (lbp <= rbp) return left;
      this.next(false);
      left = this.led(token, left, lbp);
    }
  }

  private infixPower(token: Token): number {
    if (token.type === 'punct') return PUNCT_POWER[token.value] ?? 0;
    if (token.type !== 'name' || token.quoted) return 0;
    switch (token.value.toLowerCase()) {
      case 'or':
        return BP_OR;
      case 'and':
        return BP_AND;
      case 'like':
      case 'in':
        return BP_COMPARE;
      case 'not': {
        const after = readToken(this.text, token.end, false);
        return keyword(after, 'like') || keyword(after, 'in') || isPunct(after, '=~') ? BP_COMPARE : 0;
      }
      default:
        return 0;
    }
  }

  private nud(token: Token): Expr {
    const { start, end } = token;
    switch (token.type) {
      case 'number':
        return { kind: 'number', value: token.value, start, end };
      case 'string':
        return { kind: 'string', value: token.value, start, end };
      case 'duration':
        return { kind: 'duration', period: { amount: token.amount, unit: token.unit }, start, end };
      case 'regex':
        return this.compileRegex(token);
      case 'name': {
        if (token.quoted) return { kind: 'field', name: token.value, start, end };
        const lower = token.value.toLowerCase();
        if (lower === 'not') {
          const operand = this.parseValue(BP_NOT);
          return { kind: 'unary', op: 'not', operand, start, end: operand.end };
        }
        if (RESERVED.has(lower)) throw this.unexpected(token);
        if (isPunct(this.peek(false), '(')) return this.parseCall(token);
        return { kind: 'field', name: token.value, start, end };
      }
      case 'punct':
        if (token.value === '(') {
          const inner = this.parseValue(0);
          this.expectPunct(')');
          return inner;
        }
        if (token.value === '-') {
          const operand = this.parseValue(BP_NEG);
          if (operand.kind === 'number') return { ...operand, value: -operand.value, start };
          return { kind: 'unary', op: '-', operand, start, end: operand.end };
        }
        throw this.unexpected(token);
      case 'eof':
        throw this.unexpected(token);
    }
  }

  private led(token: Token, left: Expr, lbp: number): Expr {
    this.assertValue(left);
    const start = left.start;
    if (token.type === 'punct') {
      if (token.value === '=~') return this.parseMatch('=~', false, left);
      // `^` is right-associative; the other operators associate to the left.
      const right = this.parseValue(token.value === '^' ? lbp - 1 : lbp);
      const op = token.value as Exclude<Punct, '|' | ',' | '(' | ')' | '[' | ']' | '=~' | ':'>;
      return { kind: 'binary', op, left, right, start, end: right.end };
    }
    const word = token.type === 'name' ? token.value.toLowerCase() : '';
    if (word === 'and' || word === 'or') {
      const right = this.parseValue(lbp);
      return { kind: 'binary', op: word, left, right, start, end: right.end };
    }
    let negated = false;
    let op: Token = token;
    if (word === 'not') {
      negated = true;
      op = this.next(false);
    }
    if (keyword(op, 'like')) return this.parseMatch('like', negated, left);
    if (isPunct(op, '=~')) return this.parseMatch('=~', negated, left);
    // only `in` is left: infixPower admits nothing else
    this.expectPunct('[');
    const items: Expr[] = [];
    if (!isPunct(this.peek(true), ']')) {
      do items.push(this.parseValue(0));
      while (this.acceptComma());
    }
    const close = this.expectPunct(']');
    return { kind: 'in', negated, subject: left, items, start, end: close.end };
  }

  private parseMatch(op: 'like' | '=~', negated: boolean, subject: Expr): Expr {
    const token = this.next(true);
    let pattern: RegexLit | StringLit;
    if (token.type === 'regex') pattern = this.compileRegex(token);
    else if (token.type === 'string' && op === 'like') {
      pattern = { kind: 'string', value: token.value, start: token.start, end: token.end };
    } else throw this.unexpected(token);
    return { kind: 'match', op, negated, subject, pattern, start: subject.start, end: pattern.end };
  }

  // CWLI regexes are RE2, inline flags such as `(?i)` and `(?P<name>` included.
  private compileRegex(token: Extract<Token, { type: 'regex' }>): RegexLit {
    try {
      return {
        kind: 'regex',
        regex: compileRegex(token.source, token.flags),
        start: token.start,
        end: token.end,
      };
    } catch (e) {
      throw this.error(token, `invalid regular expression: ${(e as Error).message}`);
    }
  }

  private parseCall(nameToken: Extract<Token, { type: 'name' }>): CallExpr {
    const def = lookupFunction(nameToken.value);
    if (def === undefined) throw this.error(nameToken, `unknown function ${nameToken.value}`);
    const outer = this.aggregates;
    if (def.kind === 'aggregate') {
      if (outer === 'forbidden') {
        throw this.error(nameToken, `aggregate function ${nameToken.value} can only be used in stats`);
      }
      if (outer === 'nested') {
        throw this.error(
          nameToken,
          `aggregate function ${nameToken.value} cannot be used inside another one`,
        );
      }
      this.aggregates = 'nested';
    }
    this.expectPunct('(');
    const args: Expr[] = [];
    if (isPunct(this.peek(true), ')')) this.next(true);
    else {
      for (;;) {
        const t = this.peek(true);
        if (isPunct(t, '*') && isPunct(readToken(this.text, t.end, false), ')')) {
          this.next(true);
          args.push({ kind: 'star', start: t.start, end: t.end });
        } else args.push(this.parseExpr(0));
        if (!this.acceptComma()) break;
      }
      this.expectPunct(')');
    }
    this.aggregates = outer;
    const call: CallExpr = {
      kind: 'call',
      name: nameToken.value.toLowerCase(),
      nameSpan: { start: nameToken.start, end: nameToken.end },
      args,
      start: nameToken.start,
      end: this.pos,
    };
    this.checkArguments(def, call, nameToken.value);
    return call;
  }

  private checkArguments(def: FunctionDef, call: CallExpr, written: string): void {
    const n = call.args.length;
    if (n < def.minArgs || n > def.maxArgs) {
      const expected =
        def.minArgs === def.maxArgs
          ? `${def.minArgs}`
          : def.maxArgs === Number.POSITIVE_INFINITY
            ? `at least ${def.minArgs}`
            : `${def.minArgs} to ${def.maxArgs}`;
      throw this.error(call, `function ${written} expects ${expected} argument(s) but got ${n}`);
    }
    call.args.forEach((arg, i) => {
      const kind = paramKind(def, i);
      const position = `argument ${i + 1} of ${written}`;
      if (kind === 'period' && arg.kind !== 'duration') {
        throw this.error(arg, `${position} must be a time period such as 5m or 1h`);
      }
      if (kind === 'number' && arg.kind !== 'number') throw this.error(arg, `${position} must be a number`);
      if (kind === 'value' || kind === 'valueOrStar') {
        if (arg.kind === 'star' && kind === 'value') throw this.error(arg, `${position} cannot be *`);
        if (arg.kind !== 'star') this.assertValue(arg);
      }
    });
  }
}

// Field references of an expression that are not inside an aggregate call; `sawAggregate` is
// told when an aggregate call is met.
function refsOutsideAggregates(expr: Expr, sawAggregate: () => void): FieldRef[] {
  const refs: FieldRef[] = [];
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'field':
        refs.push(e);
        return;
      case 'unary':
        walk(e.operand);
        return;
      case 'binary':
        walk(e.left);
        walk(e.right);
        return;
      case 'match':
        walk(e.subject);
        return;
      case 'in':
        walk(e.subject);
        e.items.forEach(walk);
        return;
      case 'call':
        if (lookupFunction(e.name)?.kind === 'aggregate') sawAggregate();
        else e.args.forEach(walk);
        return;
      default:
        return;
    }
  };
  walk(expr);
  return refs;
}
