import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  DescribeQueriesCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListLogGroupsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  StartQueryCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { CaseSession, KnownDeviations, RecordedCases } from '../recorded-case';

/** The requests of LocalStack's tests/aws/services/logs/test_logs_*.py, recorded against AWS. */
const LOGS = 'tests/aws/services/logs';
const DAY_MS = 86_400_000;

/** The recorded tests' `logs_log_group` fixture. */
async function logGroup({ logs, unique }: CaseSession): Promise<string> {
  const name = unique('test-log-group');
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  return name;
}

/** The recorded tests' `logs_log_stream` fixture, in `logGroupName`. */
async function logStream({ logs, unique }: CaseSession, logGroupName: string): Promise<string> {
  const name = unique('test-log-stream');
  await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: name }));
  return name;
}

/** The recorded query tests' StartQuery: `fields @message` from an hour ago to five minutes ahead. */
const lastHourQuery = (logGroupName: string) => {
  const now = Math.floor(Date.now() / 1000);
  return new StartQueryCommand({
    logGroupName,
    startTime: now - 3600,
    endTime: now + 300,
    queryString: 'fields @message',
  });
};

const GROUPS = `${LOGS}/test_logs_groups.py`;
const STREAMS = `${LOGS}/test_logs_streams.py`;
const EVENTS = `${LOGS}/test_logs_events.py`;
const FILTER = `${LOGS}/test_logs_filter_events.py`;
const QUERIES = `${LOGS}/test_logs_queries.py`;

export const LOGS_CASES: RecordedCases = {
  [`${GROUPS}::TestLogsGroups::test_create_log_group_with_kms_key`]: async ({
    logs,
    snapshot,
    unique,
    region,
  }) => {
    const name = unique('test-log-group-kms');
    // The recorded test made the key with KMS, which the sandbox does not emulate: a key ARN
    // of the same form stands in for it.
    const keyArn = `arn:aws:kms:${region}:111111111111:key/0b3a5c3e-7c1d-4a47-9e1c-2f0f4a0b9c11`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: name, kmsKeyId: keyArn }));
    snapshot.match(
      'describe-log-groups-with-kms',
      await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name })),
    );
  },

  [`${GROUPS}::TestLogsGroups::test_create_log_group_duplicate_error`]: async ({
    logs,
    snapshot,
    unique,
  }) => {
    const name = unique('test-log-group');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await snapshot.matchError('error-duplicate-log-group', () =>
      logs.send(new CreateLogGroupCommand({ logGroupName: name })),
    );
  },

  [`${GROUPS}::TestLogsGroups::test_create_log_group_invalid_name_length`]: async ({ logs, snapshot }) => {
    await snapshot.matchError('error-invalid-name-length', () =>
      logs.send(new CreateLogGroupCommand({ logGroupName: 'a'.repeat(513) })),
    );
  },

  [`${GROUPS}::TestLogsGroups::test_describe_log_groups_with_prefix`]: async ({ logs, snapshot, unique }) => {
    const prefix = unique('test-prefix');
    for (let i = 0; i < 3; i++) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: `${prefix}-group-${i}` }));
    }
    snapshot.match(
      'describe-log-groups-prefix',
      await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix })),
    );
  },

  [`${GROUPS}::TestLogsGroups::test_describe_log_groups_with_pattern`]: async ({
    logs,
    snapshot,
    unique,
  }) => {
    const id = unique('id').slice(3);
    await logs.send(new CreateLogGroupCommand({ logGroupName: `test-pattern-${id}` }));
    snapshot.match(
      'describe-log-groups-pattern',
      await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: id })),
    );
  },

  [`${GROUPS}::TestLogsGroups::test_describe_log_groups_prefix_and_pattern_error`]: async ({
    logs,
    snapshot,
    unique,
  }) => {
    const name = unique('test-log-group');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await snapshot.matchError('error-prefix-and-pattern', () =>
      logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: name, logGroupNamePrefix: name })),
    );
  },

  [`${GROUPS}::TestLogsGroups::test_list_log_groups_with_pattern`]: async ({ logs, snapshot, unique }) => {
    const id = unique('id').slice(3);
    await logs.send(new CreateLogGroupCommand({ logGroupName: `test-list-${id}` }));
    snapshot.match(
      'list-log-groups-no-match',
      await logs.send(new ListLogGroupsCommand({ logGroupNamePattern: 'no-such-group' })),
    );
    const found = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: id }));
    snapshot.match('list-log-groups-match', found.logGroups ?? []);
  },

  [`${GROUPS}::TestLogsGroupsTags::test_create_log_group_with_tags`]: async ({ logs, snapshot, unique }) => {
    const name = unique('test-tags');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name, tags: { env: 'testing' } }));
    snapshot.match(
      'list-tags-after-create',
      await logs.send(new ListTagsLogGroupCommand({ logGroupName: name })),
    );
  },

  [`${GROUPS}::TestLogsGroupsTags::test_tag_log_group`]: async ({ logs, snapshot, unique }) => {
    const logGroupName = unique('test-tags');
    await logs.send(new CreateLogGroupCommand({ logGroupName }));
    await logs.send(new TagLogGroupCommand({ logGroupName, tags: { tag_key_1: 'tag_value_1' } }));
    snapshot.match('list-tags-after-tag', await logs.send(new ListTagsLogGroupCommand({ logGroupName })));
    await logs.send(new TagLogGroupCommand({ logGroupName, tags: { tag_key_2: 'tag_value_2' } }));
    await logs.send(new TagLogGroupCommand({ logGroupName, tags: { tag_key_1: 'tag_value_XX' } }));
  },

  [`${GROUPS}::TestLogsGroupsTags::test_untag_log_group`]: async ({ logs, snapshot, unique }) => {
    const logGroupName = unique('test-tags');
    await logs.send(new CreateLogGroupCommand({ logGroupName }));
    await logs.send(
      new TagLogGroupCommand({ logGroupName, tags: { tag_key_1: 'tag_value_1', tag_key_2: 'tag_value_2' } }),
    );
    await logs.send(new UntagLogGroupCommand({ logGroupName, tags: ['tag_key_1'] }));
    snapshot.match('list-tags-after-untag', await logs.send(new ListTagsLogGroupCommand({ logGroupName })));
  },

  [`${GROUPS}::TestLogsGroupsTags::test_tag_resource_api`]: async ({ logs, snapshot, unique }) => {
    const logGroupName = unique('test-tags');
    await logs.send(new CreateLogGroupCommand({ logGroupName, tags: { env: 'testing1' } }));
    snapshot.match('list-tags-after-create', await logs.send(new ListTagsLogGroupCommand({ logGroupName })));
    const described = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName }));
    // Python's rstrip(':*'): the group's ARN without its trailing ':*'.
    const resourceArn = described.logGroups![0]!.arn!.replace(/[:*]+$/, '');
    const both = async (afterWhat: string) => {
      snapshot.match(
        `list-tags-log-group-after-${afterWhat}`,
        await logs.send(new ListTagsLogGroupCommand({ logGroupName })),
      );
      snapshot.match(
        `list-tags-for-resource-after-${afterWhat}`,
        await logs.send(new ListTagsForResourceCommand({ resourceArn })),
      );
    };
    await logs.send(new TagResourceCommand({ resourceArn, tags: { test1: 'val1', test2: 'val2' } }));
    await both('tag-resource');
    await logs.send(new TagLogGroupCommand({ logGroupName, tags: { test3: 'val3' } }));
    await both('tag-log-group');
    await logs.send(new UntagLogGroupCommand({ logGroupName, tags: ['test3'] }));
    await logs.send(new UntagResourceCommand({ resourceArn, tagKeys: ['env', 'test1'] }));
    await both('untag');
  },

  [`${STREAMS}::TestLogsStreams::test_create_and_delete_log_stream`]: async (s) => {
    const group = await logGroup(s);
    const stream = s.unique('test-log-stream');
    await s.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    s.snapshot.match(
      'describe-log-streams-after-create',
      await s.logs.send(new DescribeLogStreamsCommand({ logGroupName: group })),
    );
    await s.logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  },

  [`${STREAMS}::TestLogsStreams::test_create_log_stream_duplicate_error`]: async (s) => {
    const group = await logGroup(s);
    const stream = s.unique('test-log-stream');
    await s.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    await s.snapshot.matchError('error-duplicate-log-stream', () =>
      s.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })),
    );
  },

  [`${STREAMS}::TestLogsStreams::test_describe_log_streams_with_log_group_identifier`]: async (s) => {
    const group = await logGroup(s);
    await logStream(s, group);
    s.snapshot.match(
      'describe-streams-identifier-name',
      await s.logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: group })),
    );
    const arn = `arn:aws:logs:${s.region}:${s.accountId}:log-group:${group}`;
    s.snapshot.match(
      'describe-streams-identifier-arn',
      await s.logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: arn })),
    );
    await s.snapshot.matchError('error-both-name-and-identifier', () =>
      s.logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logGroupIdentifier: group })),
    );
  },

  [`${STREAMS}::TestLogsStreams::test_describe_log_streams_with_prefix`]: async (s) => {
    const group = await logGroup(s);
    const prefix = s.unique('test-prefix');
    for (let i = 0; i < 3; i++) {
      await s.logs.send(
        new CreateLogStreamCommand({ logGroupName: group, logStreamName: `${prefix}-stream-${i}` }),
      );
    }
    s.snapshot.match(
      'describe-streams-with-prefix',
      await s.logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: prefix })),
    );
  },

  [`${STREAMS}::TestLogsStreams::test_log_stream_arn_format`]: async (s) => {
    const group = await logGroup(s);
    await s.logs.send(
      new CreateLogStreamCommand({ logGroupName: group, logStreamName: s.unique('test-arn') }),
    );
    s.snapshot.match(
      'describe-log-streams-with-arn',
      await s.logs.send(new DescribeLogStreamsCommand({ logGroupName: group })),
    );
  },

  [`${EVENTS}::TestLogsEvents::test_put_log_events_to_invalid_stream`]: async (s) => {
    const group = await logGroup(s);
    await s.snapshot.matchError('error-invalid-stream', () =>
      s.logs.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: 'invalid-stream',
          logEvents: [{ timestamp: Date.now(), message: 'test' }],
        }),
      ),
    );
  },

  [`${EVENTS}::TestLogsEvents::test_put_log_events_wrong_order`]: async (s) => {
    const group = await logGroup(s);
    const stream = await logStream(s, group);
    await s.snapshot.matchError('error-wrong-order', () =>
      s.logs.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: stream,
          logEvents: [
            { message: 'Message 0', timestamp: Date.now() },
            { message: 'Message 1', timestamp: Date.now() - 2 * DAY_MS },
          ],
        }),
      ),
    );
  },

  [`${EVENTS}::TestLogsEvents::test_put_log_events_too_old`]: async (s) => {
    const group = await logGroup(s);
    const stream = await logStream(s, group);
    s.snapshot.match(
      'response-too-old',
      await s.logs.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: stream,
          logEvents: [{ message: 'Old message', timestamp: Date.now() - 30 * DAY_MS }],
        }),
      ),
    );
  },

  [`${EVENTS}::TestLogsEvents::test_put_log_events_too_new`]: async (s) => {
    const group = await logGroup(s);
    const stream = await logStream(s, group);
    s.snapshot.match(
      'response-too-new',
      await s.logs.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: stream,
          logEvents: [{ message: 'Future message', timestamp: Date.now() + DAY_MS }],
        }),
      ),
    );
  },

  [`${EVENTS}::TestLogsEvents::test_get_log_events_invalid_token`]: async (s) => {
    const group = await logGroup(s);
    const stream = await logStream(s, group);
    await s.snapshot.matchError('error-invalid-token', () =>
      s.logs.send(
        new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, nextToken: 'invalid-token' }),
      ),
    );
  },

  [`${EVENTS}::TestLogsEvents::test_get_log_events_limit_validation`]: async (s) => {
    const group = await logGroup(s);
    const stream = await logStream(s, group);
    await s.snapshot.matchError('error-limit-exceeded', () =>
      s.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 10001 })),
    );
  },

  [`${EVENTS}::TestLogsEventsErrors::test_resource_does_not_exist`]: async ({ logs, snapshot, unique }) => {
    const logGroupName = unique('log-group');
    const logStreamName = unique('log-stream');
    await snapshot.matchError('error-log-group-does-not-exist', () =>
      logs.send(new GetLogEventsCommand({ logGroupName, logStreamName })),
    );
    await logs.send(new CreateLogGroupCommand({ logGroupName }));
    await snapshot.matchError('error-log-stream-does-not-exist', () =>
      logs.send(new GetLogEventsCommand({ logGroupName, logStreamName })),
    );
  },

  [`${FILTER}::TestFilterLogEvents::test_filter_log_events_limit_validation`]: async (s) => {
    const group = await logGroup(s);
    await s.snapshot.matchError('error-limit-exceeded', () =>
      s.logs.send(new FilterLogEventsCommand({ logGroupName: group, limit: 10001 })),
    );
  },

  [`${FILTER}::TestFilterLogEvents::test_filter_log_events_unknown_token`]: async (s) => {
    const group = await logGroup(s);
    const stream = await logStream(s, group);
    await s.snapshot.matchError('invalid-token', () =>
      s.logs.send(
        new FilterLogEventsCommand({
          logGroupName: group,
          logStreamNames: [stream],
          limit: 20,
          nextToken: 'invalid-token',
        }),
      ),
    );
  },

  [`${QUERIES}::TestCloudWatchLogsInsightsQueries::test_start_query_basic`]: async (s) => {
    const group = await logGroup(s);
    s.snapshot.match('start-query', await s.logs.send(lastHourQuery(group)));
  },

  [`${QUERIES}::TestCloudWatchLogsInsightsQueries::test_start_query_log_group_not_found`]: async ({
    logs,
    snapshot,
    unique,
  }) => {
    await snapshot.matchError('error-log-group-not-found', () =>
      logs.send(lastHourQuery(unique('non-existent'))),
    );
  },

  [`${QUERIES}::TestCloudWatchLogsInsightsQueries::test_describe_queries`]: async (s) => {
    const group = await logGroup(s);
    await s.logs.send(lastHourQuery(group));
    s.snapshot.match(
      'describe-queries',
      await s.logs.send(new DescribeQueriesCommand({ logGroupName: group })),
    );
  },

  [`${QUERIES}::TestCloudWatchLogsInsightsQueries::test_describe_queries_with_status_filter`]: async (s) => {
    const group = await logGroup(s);
    await s.logs.send(lastHourQuery(group));
    s.snapshot.match(
      'describe-queries-complete',
      await s.logs.send(new DescribeQueriesCommand({ logGroupName: group, status: 'Complete' })),
    );
    s.snapshot.match(
      'describe-queries-scheduled',
      await s.logs.send(new DescribeQueriesCommand({ logGroupName: group, status: 'Scheduled' })),
    );
  },
};

export const LOGS_DEVIATIONS: KnownDeviations = {};
