// Public API of the CloudWatch Logs Insights engine, shared by the sandbox (StartQuery /
// GetQueryResults) and the grader (reading a dashboard widget's query without running it).

import { analyze, type QueryAnalysis } from './analysis';
export { sourceLogGroups, sourceSelections } from './analysis';
import type { ParsedQuery } from './ast';
import { QuerySyntaxError, type QueryError } from './errors';
import { execute, type ExecuteOptions, type LogRecord, type QueryOutput } from './evaluator';
import { parse } from './parser';

export type { QueryAnalysis, AggregateInfo, GroupInfo } from './analysis';
export type * from './ast';
export type { QueryError } from './errors';
export type { ExecuteOptions, LogRecord, QueryOutput, QueryStatistics, ResultField } from './evaluator';
export { DEFAULT_RESULT_LIMIT, logRecordPointer, parseLogRecordPointer } from './evaluator';
export { MAX_QUERY_LIMIT } from './parser';
export { JsonShapeTable, type JsonShape } from './shapes';

export type ParseResult = { ok: true; query: ParsedQuery } | { ok: false; error: QueryError };

export function parseQuery(text: string): ParseResult {
  try {
    return { ok: true, query: parse(text) };
  } catch (e) {
    if (e instanceof QuerySyntaxError) return { ok: false, error: e.error };
    throw e;
  }
}

// Runs asynchronously, giving the event loop back about every 10 ms, so a long query
// never blocks an HTTP server in the same process. Records are taken to belong to the queried
// log groups: the caller resolves SOURCE / logGroupNames. Rejects with an AbortError when
// options.signal aborts.
export function executeQuery(
  query: ParsedQuery,
  records: Iterable<LogRecord>,
  options: ExecuteOptions,
): Promise<QueryOutput> {
  return execute(query, records, options);
}

export function analyzeQuery(
  text: string,
): { ok: true; analysis: QueryAnalysis } | { ok: false; error: QueryError } {
  const parsed = parseQuery(text);
  return parsed.ok ? { ok: true, analysis: analyze(parsed.query) } : parsed;
}
