// What a query computes, read from its syntax tree without running it: the grader uses this to
// judge a dashboard widget's query (which groups, which aggregates over which fields, binned how).

import type { CallExpr, Command, Expr, LogGroupSelection, ParsedQuery, Period, Projection } from './ast';
import { commandFieldRefs, forEachChild } from './evaluator';
import { lookupFunction } from './functions';
import { periodMs } from './values';

export interface AggregateInfo {
  fn: string; // lower-case
  args: string[]; // arguments as written; count() has none, count(*) has ['*']
  alias?: string;
  outputName: string;
}

export interface GroupInfo {
  expression: string;
  outputName: string;
  binPeriodMs?: number;
}

export interface QueryAnalysis {
  /** Groups SOURCE names. */
  sources: string[];
  /** Groups SOURCE chooses with `logGroups(...)`. */
  sourceSelections: LogGroupSelection[];
  commands: string[];
  fieldsReferenced: string[];
  aggregates: AggregateInfo[];
  groupBy: GroupInfo[];
  isAggregating: boolean;
}

// Calendar periods have no fixed length; the grader only needs to know a bin is there and
// roughly how wide, so they get nominal lengths.
const NOMINAL_CALENDAR_MS = { mo: 30 * 86_400_000, q: 91 * 86_400_000, y: 365 * 86_400_000 };

function binWidth(p: Period): number {
  return periodMs(p) ?? NOMINAL_CALENDAR_MS[p.unit as keyof typeof NOMINAL_CALENDAR_MS] * p.amount;
}

function written(query: ParsedQuery, e: { start: number; end: number }): string {
  return query.text.slice(e.start, e.end).replace(/\s+/g, ' ');
}

function aggregateCalls(expr: Expr): CallExpr[] {
  const calls: CallExpr[] = [];
  const walk = (e: Expr): void => {
    if (e.kind === 'call' && lookupFunction(e.name)?.kind === 'aggregate') calls.push(e);
    else forEachChild(e, walk);
  };
  walk(expr);
  return calls;
}

// One entry per aggregate call; an item such as `sum(a) / count()` yields two entries that
// share the item's output name.
function describeAggregates(query: ParsedQuery, item: Projection): AggregateInfo[] {
  return aggregateCalls(item.expr).map((call) => ({
    fn: call.name,
    args: call.args.map((a) => (a.kind === 'field' ? a.name : written(query, a))),
    ...(item.alias !== undefined ? { alias: item.alias } : {}),
    outputName: item.outputName,
  }));
}

function describeGroup(query: ParsedQuery, g: Projection): GroupInfo {
  const bin = g.expr.kind === 'call' ? g.expr : undefined;
  const period = bin?.name === 'bin' && bin.args[0]?.kind === 'duration' ? bin.args[0].period : undefined;
  return {
    expression: g.expr.kind === 'field' ? g.expr.name : written(query, g.expr),
    outputName: g.outputName,
    ...(period !== undefined ? { binPeriodMs: binWidth(period) } : {}),
  };
}

// Log fields the query reads: every name it writes, less the names it defined itself earlier
// (aliases, parse outputs, stats outputs).
function fieldsReferenced(commands: Command[]): string[] {
  const defined = new Set<string>();
  const read = new Set<string>();
  for (const c of commands) {
    for (const name of commandFieldRefs(c)) if (!defined.has(name)) read.add(name);
    if (c.kind === 'fields') c.items.forEach((i) => i.alias !== undefined && defined.add(i.alias));
    if (c.kind === 'parse') c.names.forEach((n) => defined.add(n));
    if (c.kind === 'stats') [...c.items, ...c.groupBy].forEach((p) => defined.add(p.outputName));
  }
  return [...read];
}

// The SOURCE command's log groups (names or ARNs as written), empty when the query has none.
export function sourceLogGroups(query: ParsedQuery): string[] {
  return query.commands.flatMap((c) => (c.kind === 'source' ? c.logGroups : []));
}

// The SOURCE command's `logGroups(...)` selections, empty when the query has none.
export function sourceSelections(query: ParsedQuery): LogGroupSelection[] {
  return query.commands.flatMap((c) => (c.kind === 'source' && c.selection ? [c.selection] : []));
}

export function analyze(query: ParsedQuery): QueryAnalysis {
  const stats = query.commands.filter((c) => c.kind === 'stats');
  const last = stats[stats.length - 1];
  return {
    sources: sourceLogGroups(query),
    sourceSelections: sourceSelections(query),
    commands: query.commands.map((c) => c.kind),
    fieldsReferenced: fieldsReferenced(query.commands),
    aggregates: last === undefined ? [] : last.items.flatMap((item) => describeAggregates(query, item)),
    groupBy: last === undefined ? [] : last.groupBy.map((g) => describeGroup(query, g)),
    isAggregating: last !== undefined,
  };
}
