import type { LinearRegex } from './regex';

// Typed syntax tree of a CloudWatch Logs Insights (CWLI) query. Every node keeps the character
// span it was parsed from, so errors and the grader's analysis can point back into the query text.

export interface Span {
  start: number;
  end: number; // exclusive: text.slice(start, end) is the node's source
}

export type PeriodUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'mo' | 'q' | 'y';

export interface Period {
  amount: number;
  unit: PeriodUnit;
}

export interface FieldRef extends Span {
  kind: 'field';
  name: string;
}

export interface NumberLit extends Span {
  kind: 'number';
  value: number;
}

export interface StringLit extends Span {
  kind: 'string';
  value: string;
}

export interface RegexLit extends Span {
  kind: 'regex';
  regex: LinearRegex;
}

// A period such as `5m`, only meaningful as an argument of bin/datefloor/dateceil.
export interface DurationLit extends Span {
  kind: 'duration';
  period: Period;
}

// The `*` of `count(*)`.
export interface StarArg extends Span {
  kind: 'star';
}

export interface UnaryExpr extends Span {
  kind: 'unary';
  op: 'not' | '-';
  operand: Expr;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^';
export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type LogicalOp = 'and' | 'or';

export interface BinaryExpr extends Span {
  kind: 'binary';
  op: ArithmeticOp | ComparisonOp | LogicalOp;
  left: Expr;
  right: Expr;
}

// `x like /re/`, `x like "text"`, `x =~ /re/`, optionally negated with `not`.
export interface MatchExpr extends Span {
  kind: 'match';
  op: 'like' | '=~';
  negated: boolean;
  subject: Expr;
  pattern: RegexLit | StringLit;
}

export interface InExpr extends Span {
  kind: 'in';
  negated: boolean;
  subject: Expr;
  items: Expr[];
}

export interface CallExpr extends Span {
  kind: 'call';
  name: string; // lower-case key into the function table
  nameSpan: Span;
  args: Expr[];
}

export type Expr =
  | FieldRef
  | NumberLit
  | StringLit
  | RegexLit
  | DurationLit
  | StarArg
  | UnaryExpr
  | BinaryExpr
  | MatchExpr
  | InExpr
  | CallExpr;

// An expression with its result name: the alias, or the expression as written.
export interface Projection extends Span {
  expr: Expr;
  alias?: string;
  outputName: string;
}

export interface FieldsCommand extends Span {
  kind: 'fields';
  items: Projection[];
}

export interface DisplayCommand extends Span {
  kind: 'display';
  fields: FieldRef[];
}

export interface FilterCommand extends Span {
  kind: 'filter';
  expr: Expr;
}

export interface StatsCommand extends Span {
  kind: 'stats';
  items: Projection[];
  groupBy: Projection[];
}

export interface SortKey {
  expr: Expr;
  descending: boolean;
}

export interface SortCommand extends Span {
  kind: 'sort';
  keys: SortKey[];
}

export interface LimitCommand extends Span {
  kind: 'limit';
  count: number;
}

export interface ParseCommand extends Span {
  kind: 'parse';
  source: FieldRef;
  pattern: { kind: 'glob'; text: string } | { kind: 'regex'; source: string };
  regex: LinearRegex; // glob patterns are compiled to a regex with one capture group per `*`
  names: string[]; // field names, in capture-group order
}

export interface DedupCommand extends Span {
  kind: 'dedup';
  fields: FieldRef[];
}

export interface SourceCommand extends Span {
  kind: 'source';
  /** Groups named as written (names or ARNs). */
  logGroups: string[];
  /** `logGroups(...)`: groups chosen by name prefix and class rather than named. */
  selection?: LogGroupSelection;
  startTime?: string; // START=/END= values as written
  endTime?: string;
}

/**
 * `SOURCE logGroups(namePrefix: ['a'], accountIdentifiers: ['1'], class: ['STANDARD'])`: every
 * group whose name starts with one of the prefixes (every group when there are none), in the
 * given accounts, of the given classes (STANDARD when none is given).
 */
export interface LogGroupSelection {
  namePrefixes: string[];
  accountIdentifiers: string[];
  logClasses: string[];
}

export type Command =
  | FieldsCommand
  | DisplayCommand
  | FilterCommand
  | StatsCommand
  | SortCommand
  | LimitCommand
  | ParseCommand
  | DedupCommand
  | SourceCommand;

export interface ParsedQuery {
  text: string;
  commands: Command[];
}
