import { RE2JS } from 're2js';
import constraints from './constraints.json';
import { AwsError, constraintText, validationErrors } from './errors';

/**
 * Every operation's input checked against AWS's own constraints for it before authorization or
 * the handler sees it: required members, string, blob, list and map lengths, numeric ranges,
 * patterns and enums, as AWS's service models state them (constraints.json, written by
 * scripts/aws-constraints.ts). Handlers keep only the checks AWS makes that no model states
 * (cross-field rules, the order of events, reserved namespaces).
 *
 * The services word a failure two ways. Most answer as AWS's Coral framework does:
 * `1 validation error detected: Value 'x' at 'logEvents.1.member.message' failed to satisfy
 * constraint: Member must have length greater than or equal to 1`, several joined with `; `, a
 * list of simple values judged as one (`Member must satisfy constraint: [...]`, every constraint
 * of its items listed), a sensitive member's value left out (`Value at 'x'`). CloudWatch answers
 * as its Query API always has: one sentence per failure (`The parameter
 * MetricData.member.1.Dimensions.member.4.Value must be shorter than 257 characters.`), joined
 * with newlines. Recorded AWS answers are cited in docs/aws-behaviours.md.
 */

export interface ConstraintShape {
  type:
    | 'structure'
    | 'union'
    | 'list'
    | 'map'
    | 'string'
    | 'blob'
    | 'integer'
    | 'long'
    | 'double'
    | 'float'
    | 'boolean'
    | 'timestamp';
  min?: number;
  max?: number;
  /** AWS's pattern text (Java syntax), matched against the whole value. */
  pattern?: string;
  enum?: string[];
  required?: string[];
  /** Members that are required or carry a constraint, in the model's order, by shape name (null: none). */
  members?: Record<string, string | null>;
  member?: string;
  key?: string;
  value?: string;
  /** AWS leaves the value of a sensitive member out of its error text. */
  sensitive?: boolean;
}

export interface ConstraintTable {
  about: string;
  source: { package: string; version: string; generated: string };
  services: Record<
    string,
    { model: string; operations: Record<string, string>; shapes: Record<string, ConstraintShape> }
  >;
}

const TABLE = constraints as unknown as ConstraintTable;

/** What a failed constraint demanded. `items`, `keys` and `values` list every constraint of a list's or map's parts. */
export type Rule =
  | { kind: 'required' }
  | { kind: 'length'; bound: 'min' | 'max'; limit: number; collection: boolean }
  | { kind: 'value'; bound: 'min' | 'max'; limit: number }
  | { kind: 'pattern'; pattern: string }
  | { kind: 'enum'; values: string[] }
  | { kind: 'whole' }
  | { kind: 'items' | 'keys' | 'values'; rules: Rule[] };

/** A member name, a list index (from 0), a map key, or a map entry (from 0) as the Query protocol numbers it. */
export type Step =
  { member: string } | { index: number } | { key: string } | { entry: number; part: 'key' | 'value' };

export interface Problem {
  path: Step[];
  value: unknown;
  rule: Rule;
  /** The member is sensitive: its value is not shown. */
  hidden: boolean;
}

interface Dialect {
  /** Coral judges a list of simple values, and a map's keys and values, as one member. */
  partsTogether: boolean;
  /** CloudWatch's Query API reads an empty text or list as a member not given (UNVERIFIED for its JSON protocol). */
  emptyIsAbsent: boolean;
  error: (problems: Problem[], operation: string) => AwsError;
}

/** Every service's wording and error code for failed constraints: the one place they are chosen. */
const DIALECTS: Record<string, Dialect> = {
  logs: {
    ...coral('InvalidParameterException'),
    error: (problems, operation) =>
      logsNameTooLong(problems, operation) ?? coral('InvalidParameterException').error(problems, operation),
  },
  iam: coral('ValidationError'),
  sts: coral('ValidationError'),
  bedrock: coral('ValidationException'),
  'bedrock-runtime': coral('ValidationException'),
  monitoring: {
    partsTogether: false,
    emptyIsAbsent: true,
    error: (problems) => {
      // A missing parameter is reported alone, as CloudWatch's other checks report it (UNVERIFIED
      // when a request also breaks other constraints).
      const missing = problems.filter((p) => p.rule.kind === 'required');
      const shown = missing.length ? missing : problems;
      return new AwsError(
        missing.length ? 'MissingParameter' : 'InvalidParameterValue',
        shown.map(cloudWatchText).join('\n'),
      );
    },
  },
};

/** Throws the service's validation error when `input` breaks a constraint of `operation`'s model. */
export function checkInputConstraints(service: string, operation: string, input: unknown): void {
  const dialect = DIALECTS[service];
  if (!dialect) return;
  const problems = findProblems(service, operation, input);
  if (problems.length) throw dialect.error(problems, operation);
}

/** The constraints `input` breaks, in the model's member order; none for an operation the table lacks. */
export function findProblems(service: string, operation: string, input: unknown): Problem[] {
  const table = TABLE.services[service];
  const dialect = DIALECTS[service];
  const root = table && Object.hasOwn(table.operations, operation) ? table.operations[operation] : undefined;
  if (!table || !dialect || !root) return [];
  const problems: Problem[] = [];
  new Walker(table.shapes, dialect, problems).check(root, input, [], false, 0);
  return problems;
}

const MAX_DEPTH = 64;

class Walker {
  constructor(
    private readonly shapes: Record<string, ConstraintShape>,
    private readonly dialect: Dialect,
    private readonly problems: Problem[],
  ) {}

  absent(value: unknown): boolean {
    if (value === undefined || value === null) return true;
    return this.dialect.emptyIsAbsent && (value === '' || (Array.isArray(value) && value.length === 0));
  }

  check(name: string, value: unknown, path: Step[], hidden: boolean, depth: number): void {
    const shape = this.shapes[name];
    if (!shape || depth > MAX_DEPTH) return;
    const secret = hidden || !!shape.sensitive;
    // Java prints a whole float or double as `2.0`.
    const shown =
      (shape.type === 'float' || shape.type === 'double') && Number.isInteger(Number(value))
        ? `${Number(value)}.0`
        : value;
    const fail = (rule: Rule) => this.problems.push({ path, value: shown, rule, hidden: secret });
    switch (shape.type) {
      case 'structure':
      case 'union':
        return this.structure(shape, value, path, secret, depth);
      case 'list': {
        // The Query protocol sends an empty list as an empty value.
        const items = value === '' ? [] : value;
        if (!Array.isArray(items)) return; // not a list: the types are input-shape.ts's to check
        const size = lengthRule(shape, items.length, true);
        if (size) fail(size);
        if (shape.member) this.parts(shape.member, items, path, secret, depth, 'items');
        return;
      }
      case 'map': {
        if (!isRecord(value)) return;
        const entries = Object.entries(value);
        const size = lengthRule(shape, entries.length, true);
        if (size) fail(size);
        if (shape.key) this.mapParts(shape.key, entries, path, secret, depth, 'keys');
        if (shape.value) this.mapParts(shape.value, entries, path, secret, depth, 'values');
        return;
      }
      default:
        for (const rule of scalarProblems(shape, value)) fail(rule);
    }
  }

  private structure(shape: ConstraintShape, value: unknown, path: Step[], hidden: boolean, depth: number) {
    if (!isRecord(value)) return;
    for (const member of Object.keys(shape.members ?? {})) {
      const v = Object.hasOwn(value, member) ? value[member] : undefined;
      const at = [...path, { member }];
      if (this.absent(v)) {
        if (shape.required?.includes(member)) {
          this.problems.push({ path: at, value: undefined, rule: { kind: 'required' }, hidden });
        }
        continue;
      }
      const target = shape.members?.[member];
      if (target) this.check(target, v, at, hidden, depth + 1);
    }
  }

  /** A list's items: simple ones judged together (Coral) or one by one; structures always one by one. */
  private parts(item: string, items: unknown[], path: Step[], hidden: boolean, depth: number, kind: 'items') {
    const shape = this.shapes[item];
    if (!shape) return;
    if (this.dialect.partsTogether && isSimple(shape)) {
      const secret = hidden || !!shape.sensitive;
      if (items.some((v) => v !== null && v !== undefined && scalarProblems(shape, v).length)) {
        this.problems.push({ path, value: items, rule: { kind, rules: allRules(shape) }, hidden: secret });
      }
      return;
    }
    items.forEach((v, index) => {
      if (v !== null && v !== undefined) this.check(item, v, [...path, { index }], hidden, depth + 1);
    });
  }

  private mapParts(
    part: string,
    entries: [string, unknown][],
    path: Step[],
    hidden: boolean,
    depth: number,
    kind: 'keys' | 'values',
  ) {
    const shape = this.shapes[part];
    if (!shape) return;
    const of = (e: [string, unknown]) => (kind === 'keys' ? e[0] : e[1]);
    if (this.dialect.partsTogether && isSimple(shape)) {
      const secret = hidden || !!shape.sensitive;
      if (entries.some((e) => of(e) !== null && of(e) !== undefined && scalarProblems(shape, of(e)).length)) {
        const value = Object.fromEntries(entries);
        this.problems.push({ path, value, rule: { kind, rules: allRules(shape) }, hidden: secret });
      }
      return;
    }
    entries.forEach((e, entry) => {
      const v = of(e);
      if (v === null || v === undefined) return;
      const step: Step = this.dialect.partsTogether
        ? { key: e[0] }
        : { entry, part: kind === 'keys' ? 'key' : 'value' };
      this.check(part, v, [...path, step], hidden, depth + 1);
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function isSimple(shape: ConstraintShape): boolean {
  return !['structure', 'union', 'list', 'map'].includes(shape.type);
}

const NUMERIC = new Set(['integer', 'long', 'double', 'float']);

function lengthRule(shape: ConstraintShape, length: number, collection: boolean): Rule | undefined {
  if (shape.min !== undefined && length < shape.min)
    return { kind: 'length', bound: 'min', limit: shape.min, collection };
  if (shape.max !== undefined && length > shape.max)
    return { kind: 'length', bound: 'max', limit: shape.max, collection };
  return undefined;
}

/**
 * The constraints a simple value breaks: its length (or value), then its pattern, then its enum.
 * A text longer than its maximum is not matched against the pattern: the length alone refuses it,
 * whatever its size. Values of another type than the model's are input-shape.ts's to refuse.
 */
function scalarProblems(shape: ConstraintShape, value: unknown): Rule[] {
  if (NUMERIC.has(shape.type)) {
    // The Query protocol, path labels and query strings send numbers as text.
    const n =
      typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
    if (Number.isNaN(n)) return [];
    // UNVERIFIED text: a number that is not whole where the model wants an integer (no SDK sends one).
    if ((shape.type === 'integer' || shape.type === 'long') && !Number.isInteger(n))
      return [{ kind: 'whole' }];
    if (shape.min !== undefined && n < shape.min) return [{ kind: 'value', bound: 'min', limit: shape.min }];
    if (shape.max !== undefined && n > shape.max) return [{ kind: 'value', bound: 'max', limit: shape.max }];
    return [];
  }
  if (shape.type === 'blob') {
    const bytes = Buffer.isBuffer(value)
      ? value.length
      : typeof value === 'string'
        ? Buffer.byteLength(value, 'base64')
        : undefined;
    const broken = bytes === undefined ? undefined : lengthRule(shape, bytes, false);
    return broken ? [broken] : [];
  }
  if (shape.type !== 'string' || typeof value !== 'string') return [];
  const rules: Rule[] = [];
  const length = lengthRule(shape, value.length, false);
  if (length) rules.push(length);
  const tooLong = length?.kind === 'length' && length.bound === 'max';
  if (shape.pattern !== undefined && !tooLong && !patternMatches(shape.pattern, value)) {
    rules.push({ kind: 'pattern', pattern: shape.pattern });
  }
  if (shape.enum && !shape.enum.includes(value)) rules.push({ kind: 'enum', values: shape.enum });
  return rules;
}

/** Every constraint of a simple shape, in the order AWS lists them (`[... less than or equal to 253, ... greater than or equal to 1, ... pattern: ...]`). */
function allRules(shape: ConstraintShape): Rule[] {
  const rules: Rule[] = [];
  const numeric = NUMERIC.has(shape.type);
  if (shape.max !== undefined)
    rules.push(
      numeric
        ? { kind: 'value', bound: 'max', limit: shape.max }
        : { kind: 'length', bound: 'max', limit: shape.max, collection: false },
    );
  if (shape.min !== undefined)
    rules.push(
      numeric
        ? { kind: 'value', bound: 'min', limit: shape.min }
        : { kind: 'length', bound: 'min', limit: shape.min, collection: false },
    );
  if (shape.pattern !== undefined) rules.push({ kind: 'pattern', pattern: shape.pattern });
  if (shape.enum) rules.push({ kind: 'enum', values: shape.enum });
  return rules;
}

// ---- patterns ----

/**
 * AWS's patterns are Java regular expressions, run here by RE2 (re2js: linear time, so no value
 * makes a pattern backtrack for minutes). Java's `\uXXXX` (exactly four hex digits) becomes RE2's
 * `\x{XXXX}`; a pattern RE2 cannot compile (lookarounds, backreferences) is not checked, and
 * scripts/aws-constraints.ts names it when it writes the table.
 */
export function compilePattern(pattern: string): RE2JS {
  let re2 = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c !== '\\') {
      re2 += c;
      continue;
    }
    const hex = /^u([0-9A-Fa-f]{4})/.exec(pattern.slice(i + 1, i + 6));
    if (hex) {
      re2 += `\\x{${hex[1]}}`;
      i += 5;
    } else {
      re2 += pattern.slice(i, i + 2);
      i++;
    }
  }
  return RE2JS.compile(re2);
}

const compiled = new Map<string, RE2JS | null>();

function patternMatches(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    try {
      regex = compilePattern(pattern);
    } catch {
      regex = null;
    }
    compiled.set(pattern, regex);
  }
  return regex === null || regex.matches(value);
}

// ---- wording ----

/**
 * CreateLogGroup checks a name's length itself, with its own text (LocalStack's AWS-validated
 * snapshots; UNVERIFIED for CloudWatch Logs' other operations, which keep the model's text).
 */
function logsNameTooLong(problems: Problem[], operation: string): AwsError | undefined {
  const tooLong = problems.some(
    ({ path, rule }) =>
      path.length === 1 &&
      'member' in path[0]! &&
      ['logGroupName', 'logStreamName'].includes(path[0].member) &&
      rule.kind === 'length' &&
      rule.bound === 'max',
  );
  if (operation !== 'CreateLogGroup' || !tooLong) return undefined;
  return new AwsError(
    'InvalidParameterException',
    'Invalid LogGroup or LogStream, both must have length less than or equal to 512.',
  );
}

function coral(code: string): Dialect {
  return {
    partsTogether: true,
    emptyIsAbsent: false,
    error: (problems) => validationErrors(code, problems.map(coralText)),
  };
}

/** `logEvents.1.member.message`; member names start lower-case (`roleName`, `sAMLOptions`). */
function coralPath(path: Step[]): string {
  return path
    .map((step) => {
      if ('member' in step) return step.member.charAt(0).toLowerCase() + step.member.slice(1);
      if ('index' in step) return `${step.index + 1}.member`;
      if ('key' in step) return step.key; // UNVERIFIED: how AWS names a structure held in a map
      return `entry.${step.entry + 1}.${step.part}`;
    })
    .join('.');
}

function coralRule(rule: Rule): string {
  switch (rule.kind) {
    case 'required':
      return 'Member must not be null';
    case 'length':
      return `Member must have length ${rule.bound === 'min' ? 'greater' : 'less'} than or equal to ${rule.limit}`;
    case 'value':
      return `Member must have value ${rule.bound === 'min' ? 'greater' : 'less'} than or equal to ${rule.limit}`;
    case 'pattern':
      return `Member must satisfy regular expression pattern: ${rule.pattern}`;
    case 'enum':
      return `Member must satisfy enum value set: [${rule.values.join(', ')}]`;
    case 'whole':
      return 'Member must be a whole number';
    case 'items':
      return `Member must satisfy constraint: [${rule.rules.map(coralRule).join(', ')}]`;
    case 'keys':
      return `Map keys must satisfy constraint: [${rule.rules.map(coralRule).join(', ')}]`; // UNVERIFIED wording
    case 'values':
      return `Map value must satisfy constraint: [${rule.rules.map(coralRule).join(', ')}]`;
  }
}

function coralText(problem: Problem): string {
  const value = problem.rule.kind === 'required' ? undefined : javaText(problem.value);
  return constraintText(value, coralPath(problem.path), coralRule(problem.rule), problem.hidden);
}

/**
 * A value as AWS's Java services print it: lists `[a, b]`, maps `{k=v}`. UNVERIFIED for
 * structures and blobs, which no recorded answer shows.
 */
function javaText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(javaText).join(', ')}]`;
  if (Buffer.isBuffer(value)) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  if (isRecord(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${javaText(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** `MetricData.member.1.Dimensions.member.4.Value`: the Query protocol's own names for members. */
function queryPath(path: Step[]): string {
  return path
    .map((step) => {
      if ('member' in step) return step.member;
      if ('index' in step) return `member.${step.index + 1}`;
      if ('key' in step) return step.key;
      return `entry.${step.entry + 1}.${step.part}`;
    })
    .join('.');
}

/**
 * CloudWatch's sentences. Seen from AWS: `is required` (MissingParameter), `must be shorter than
 * N characters`, `must be a value in the set [ a, b ]`, `The collection X must not have a size
 * greater than N`. UNVERIFIED: the texts for a short value, a short list, a number out of range
 * and a pattern (worded as GetMetricData's own pattern check words it).
 */
function cloudWatchText(problem: Problem): string {
  const at = queryPath(problem.path);
  const { rule } = problem;
  const shown = problem.hidden ? '' : ` ${javaText(problem.value)}`;
  switch (rule.kind) {
    case 'required':
      return `The parameter ${at} is required.`;
    case 'length':
      if (rule.collection) {
        return `The collection ${at} must not have a size ${rule.bound === 'min' ? 'less' : 'greater'} than ${rule.limit}.`;
      }
      return rule.bound === 'max'
        ? `The parameter ${at} must be shorter than ${rule.limit + 1} characters.`
        : `The parameter ${at} must be longer than ${rule.limit - 1} characters.`;
    case 'value':
      return `The parameter ${at} must be ${rule.bound === 'min' ? 'greater' : 'less'} than or equal to ${rule.limit}.`;
    case 'pattern':
      return `The value${shown} for parameter ${at} is not matching the expected pattern ${rule.pattern}.`;
    case 'enum':
      return `The parameter ${at} must be a value in the set [ ${rule.values.join(', ')} ].`;
    default:
      return `The value${shown} for parameter ${at} is invalid.`;
  }
}
