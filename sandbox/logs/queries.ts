import type {
  DescribeQueriesRequest,
  DescribeQueriesResponse,
  GetQueryResultsRequest,
  GetQueryResultsResponse,
  StartQueryRequest,
  StartQueryResponse,
  StopQueryRequest,
  StopQueryResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import { randomUUID } from 'node:crypto';
import { executeQuery, parseQuery, sourceLogGroups, type ParsedQuery } from '../../insights';
import { sleep } from '../conditions';
import type { RequestContext } from '../service';
import type { LogsBackend, QueryRun } from './backend';
import { logsErrors } from './errors';
import { lengthConstraint } from '../protocols/errors';
import { parseGroupArn, validate, validateLimit } from './input';

/**
 * The recorded AWS error text names 30 concurrent queries; the documented limit is now 100.
 * The sandbox keeps the figure its error text names.
 */
const MAX_CONCURRENT_QUERIES = 30;
const MAX_QUERY_LIMIT = 10_000;
const MAX_QUERY_LENGTH = 10_000;

/**
 * Finished queries and their results are kept for 7 days, as AWS keeps them, and at most the 100
 * newest per account and Region (the sandbox's own bound: results of a million-record query are
 * large). An evicted query's id is unknown to GetQueryResults, as an expired one is on AWS.
 */
export const FINISHED_QUERY_LIMITS = { count: 100, ageMs: 7 * 24 * 3600_000 };

function evictFinished(logs: LogsBackend, now: number): void {
  const finished = [...logs.queries.values()]
    .filter((q) => q.status !== 'Scheduled' && q.status !== 'Running')
    .sort((a, b) => b.createTime - a.createTime);
  finished.forEach((q, i) => {
    if (i >= FINISHED_QUERY_LIMITS.count || q.createTime < now - FINISHED_QUERY_LIMITS.ageMs) {
      logs.queries.delete(q.queryId);
    }
  });
}

const backend = (ctx: RequestContext) => ctx.world.logs.get(ctx.accountId, ctx.region);

function startQuery(input: StartQueryRequest, ctx: RequestContext): StartQueryResponse {
  const logs = backend(ctx);
  if (input.queryLanguage && input.queryLanguage !== 'CWLI') {
    throw logsErrors.invalidParameter(
      `The lab sandbox runs Logs Insights QL (CWLI) queries only, not ${input.queryLanguage}.`,
    );
  }
  const { startTime, endTime, queryString = '' } = input;
  if (startTime === undefined || endTime === undefined) {
    throw logsErrors.invalidParameter('startTime and endTime are required.');
  }
  if (endTime < startTime)
    throw logsErrors.invalidParameter('endTime must be greater than or equal to startTime');
  validateLimit(input.limit, MAX_QUERY_LIMIT);
  // StartQuery's model: queryString is at most 10,000 characters; checked before any parsing.
  const tooLong = lengthConstraint(queryString, 0, MAX_QUERY_LENGTH);
  if (tooLong) validate([[false, `${queryString.slice(0, 64)}...`, 'queryString', tooLong]]);

  const parsed = parseQuery(queryString);
  if (!parsed.ok) {
    const { message, startCharOffset, endCharOffset } = parsed.error;
    throw logsErrors.malformedQuery(message, startCharOffset, endCharOffset);
  }
  const groupNames = queryGroups(input, parsed.query, ctx.accountId);
  for (const name of groupNames) {
    if (!logs.hasGroup(name)) throw logsErrors.queryGroupNotFound(name, ctx.accountId);
  }
  const running = [...logs.queries.values()].filter(
    (q) => q.status === 'Scheduled' || q.status === 'Running',
  );
  if (running.length >= MAX_CONCURRENT_QUERIES) throw logsErrors.queryConcurrency(MAX_CONCURRENT_QUERIES);

  const run: QueryRun = {
    queryId: randomUUID(),
    queryString,
    logGroupNames: groupNames,
    startTime,
    endTime,
    createTime: Date.now(),
    status: 'Scheduled',
    results: [],
    statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 },
    abort: new AbortController(),
  };
  logs.queries.set(run.queryId, run);
  void execute(logs, run, parsed.query, input.limit, ctx.world.latency.queryMs);
  return { queryId: run.queryId };
}

/** Exactly one way of naming groups: the request's parameters, or a SOURCE command. */
function queryGroups(input: StartQueryRequest, query: ParsedQuery, accountId: string): string[] {
  const given = [
    input.logGroupName !== undefined ? [input.logGroupName] : undefined,
    input.logGroupNames,
    input.logGroupIdentifiers,
  ].filter((g): g is string[] => g !== undefined);
  const source = sourceLogGroups(query);
  if (given.length > 1) {
    throw logsErrors.invalidParameter(
      'Only one of logGroupName, logGroupNames or logGroupIdentifiers may be specified.',
    );
  }
  if (given.length === 0 && source.length === 0) {
    throw logsErrors.invalidParameter(
      'Query must specify log groups with logGroupName, logGroupNames, logGroupIdentifiers or a SOURCE command.',
    );
  }
  return (given[0] ?? source).map((g) => {
    const arn = parseGroupArn(g);
    if (arn && arn.accountId !== accountId) {
      // Cross-account observability is not emulated: the sandbox keeps accounts apart.
      throw logsErrors.queryGroupNotFound(arn.name, accountId);
    }
    return arn?.name ?? g;
  });
}

/** Runs off the request path; a slow query never blocks the server. */
async function execute(
  logs: LogsBackend,
  run: QueryRun,
  query: ParsedQuery,
  limit: number | undefined,
  latencyMs: number,
): Promise<void> {
  await sleep(Math.min(latencyMs / 3, 500));
  if (run.status !== 'Scheduled') return;
  run.status = 'Running';
  const started = Date.now();
  try {
    // The events visible when the query starts: later arrivals are not seen, as on AWS.
    const output = await executeQuery(query, logs.visibleEvents(run.logGroupNames, Date.now()), {
      startTime: run.startTime,
      endTime: run.endTime,
      limit,
      signal: run.abort.signal,
      onProgress: (statistics) => (run.statistics = statistics),
    });
    await sleep(latencyMs - (Date.now() - started));
    if (run.status !== 'Running') return;
    run.results = output.results;
    run.statistics = output.statistics;
    run.status = 'Complete';
  } catch (error) {
    if (run.status === 'Running') {
      run.status = run.abort.signal.aborted ? 'Cancelled' : 'Failed';
      if (!run.abort.signal.aborted) console.error('[sandbox] Logs Insights query failed:', error);
    }
  } finally {
    evictFinished(logs, Date.now());
  }
}

function getQueryResults(input: GetQueryResultsRequest, ctx: RequestContext): GetQueryResultsResponse {
  const run = backend(ctx).queries.get(input.queryId ?? '');
  if (!run) throw logsErrors.queryNotFound();
  return {
    queryLanguage: 'CWLI',
    results: run.status === 'Complete' ? run.results : [],
    statistics: {
      ...run.statistics,
      estimatedRecordsSkipped: 0,
      estimatedBytesSkipped: 0,
      logGroupsScanned: run.logGroupNames.length,
    },
    status: run.status,
  };
}

function stopQuery(input: StopQueryRequest, ctx: RequestContext): StopQueryResponse {
  const run = backend(ctx).queries.get(input.queryId ?? '');
  if (!run) throw logsErrors.queryNotFound();
  if (run.status !== 'Scheduled' && run.status !== 'Running') return { success: false };
  run.status = 'Cancelled';
  run.abort.abort();
  return { success: true };
}

function describeQueries(input: DescribeQueriesRequest, ctx: RequestContext): DescribeQueriesResponse {
  const maxResults = input.maxResults ?? 1000;
  const queries = [...backend(ctx).queries.values()]
    .filter(
      (q) =>
        (!input.logGroupName || q.logGroupNames.includes(input.logGroupName)) &&
        (!input.status || q.status === input.status),
    )
    .sort((a, b) => b.createTime - a.createTime)
    .slice(0, maxResults);
  return {
    queries: queries.map((q) => ({
      queryLanguage: 'CWLI',
      queryId: q.queryId,
      // AWS stores the query rewritten with its source and window.
      queryString: `SOURCE ${q.logGroupNames.map((g) => `"${g}"`).join(' ')} START=${q.startTime}000 END=${q.endTime}999 | ${q.queryString}`,
      status: q.status,
      createTime: q.createTime,
      logGroupName: q.logGroupNames[0],
    })),
  };
}

export const queryOperations = {
  StartQuery: startQuery,
  GetQueryResults: getQueryResults,
  StopQuery: stopQuery,
  DescribeQueries: describeQueries,
};
