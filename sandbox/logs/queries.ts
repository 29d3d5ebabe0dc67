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
import {
  executeQuery,
  MAX_QUERY_LIMIT,
  parseQuery,
  sourceLogGroups,
  sourceSelections,
  type LogGroupSelection,
  type ParsedQuery,
} from '../../insights';
import { sleep } from '../conditions';
import type { RequestContext } from '../service';
import type { LogsBackend, QueryRun } from './backend';
import { logsErrors } from './errors';
import { AwsError } from '../protocols/errors';
import { isGroupArn, ownGroupOfArn } from './input';
import { authorizeAction } from '../iam/authorization';

/**
 * The recorded AWS error text names 30 concurrent queries; the documented limit is now 100.
 * The sandbox keeps the figure its error text names.
 */
const MAX_CONCURRENT_QUERIES = 30;

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
  // The model requires all three and bounds queryString (10,000 characters) and limit (100,000)
  // before any handler runs.
  const startTime = input.startTime!;
  const endTime = input.endTime!;
  const queryString = input.queryString!;
  if (endTime < startTime)
    throw logsErrors.invalidParameter('endTime must be greater than or equal to startTime');
  if (input.limit !== undefined && input.limit > MAX_QUERY_LIMIT) {
    throw new AwsError(
      'NotImplementedException',
      `The lab sandbox's Logs Insights engine returns at most ${MAX_QUERY_LIMIT} rows; a limit of ${input.limit} is not emulated.`,
      501,
    );
  }

  const parsed = parseQuery(queryString);
  if (!parsed.ok) {
    const { message, startCharOffset, endCharOffset } = parsed.error;
    throw logsErrors.malformedQuery(message, startCharOffset, endCharOffset);
  }
  const groupNames = queryGroups(input, parsed.query, ctx);
  for (const name of groupNames) {
    if (!logs.hasGroup(name)) throw logsErrors.queryGroupNotFound(name, ctx.accountId, ctx.requestId);
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
  // A query past its time limit ends Timeout, its results dropped, as on AWS.
  const timeout = setTimeout(() => {
    if (run.status !== 'Scheduled' && run.status !== 'Running') return;
    run.status = 'Timeout';
    run.abort.abort();
  }, ctx.world.queryTimeoutMs);
  void execute(logs, run, parsed.query, input.limit, ctx.world.latency.queryMs).finally(() =>
    clearTimeout(timeout),
  );
  return { queryId: run.queryId };
}

/**
 * The groups a query reads, named exactly one way: the request's parameters, or a SOURCE command
 * (groups by name, or chosen with `logGroups(...)`). The dispatcher authorized the parameters'
 * groups; SOURCE's are authorized here, where the parsed query names them.
 */
function queryGroups(input: StartQueryRequest, query: ParsedQuery, ctx: RequestContext): string[] {
  const given = [
    input.logGroupName !== undefined ? [input.logGroupName] : undefined,
    input.logGroupNames,
    input.logGroupIdentifiers,
  ].filter((g): g is string[] => g !== undefined);
  const named = sourceLogGroups(query);
  const selections = sourceSelections(query);
  if (given.length > 1) {
    throw logsErrors.invalidParameter(
      'Only one of logGroupName, logGroupNames or logGroupIdentifiers may be specified.',
    );
  }
  if (given.length === 0 && named.length === 0 && selections.length === 0) {
    throw logsErrors.invalidParameter(
      'Query must specify log groups with logGroupName, logGroupNames, logGroupIdentifiers or a SOURCE command.',
    );
  }
  const ownGroup = (g: string) => {
    if (!isGroupArn(g)) return g;
    const name = ownGroupOfArn(g, ctx);
    // Cross-account observability is not emulated: the sandbox keeps accounts apart.
    if (name === undefined) throw logsErrors.queryGroupNotFound(g, ctx.accountId, ctx.requestId);
    return name;
  };
  if (given[0]) return given[0].map(ownGroup);

  const logs = backend(ctx);
  const groups = [
    ...new Set([...named.map(ownGroup), ...selections.flatMap((s) => selectGroups(logs, s, ctx))]),
  ];
  for (const name of groups) {
    const resource = `${logs.groupArn(name)}:log-stream:`;
    const denied = authorizeAction(ctx, 'logs:StartQuery', resource);
    if (denied) throw denied;
  }
  return groups;
}

/**
 * The caller's groups a `logGroups(...)` selection chooses. Limits from CWL_QuerySyntax-Source.html
 * (5 prefixes, 20 accounts); their error texts are UNVERIFIED. Every sandbox group is STANDARD.
 */
function selectGroups(logs: LogsBackend, selection: LogGroupSelection, ctx: RequestContext): string[] {
  const { namePrefixes, accountIdentifiers, logClasses } = selection;
  if (namePrefixes.length > 5)
    throw logsErrors.invalidParameter('SOURCE logGroups() accepts at most 5 name prefixes.');
  if (accountIdentifiers.length > 20) {
    throw logsErrors.invalidParameter('SOURCE logGroups() accepts at most 20 account identifiers.');
  }
  if (accountIdentifiers.some((a) => a !== ctx.accountId)) {
    throw logsErrors.invalidParameter(
      'The lab sandbox does not emulate cross-account observability: accountIdentifiers may name only your own account.',
    );
  }
  if (logClasses.length > 0 && !logClasses.includes('STANDARD')) return [];
  return [...logs.groups.keys()].filter(
    (name) => namePrefixes.length === 0 || namePrefixes.some((p) => name.startsWith(p)),
  );
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
