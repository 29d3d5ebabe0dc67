import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  DeleteRetentionPolicyCommand,
  GetLogEventsCommand,
  ListLogGroupsCommand,
  ListTagsForResourceCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { expect, test } from '../fixtures/sandbox';

const GROUP = '/aws/bedrock/model-invocations';
const STREAM = 'aws/bedrock/modelinvocations';

test.describe('CloudWatch Logs: groups', () => {
  test('CreateLogGroup then DescribeLogGroups gives AWS shape', async ({ aws, accountId }) => {
    const logs = new CloudWatchLogsClient(aws);
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    const { logGroups } = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/bedrock' }),
    );
    expect(logGroups).toEqual([
      {
        logGroupName: GROUP,
        creationTime: expect.any(Number),
        metricFilterCount: 0,
        arn: `arn:aws:logs:us-east-1:${accountId}:log-group:${GROUP}:*`,
        logGroupArn: `arn:aws:logs:us-east-1:${accountId}:log-group:${GROUP}`,
        storedBytes: 0,
        logGroupClass: 'STANDARD',
        deletionProtectionEnabled: false,
      },
    ]);
  });

  test('a duplicate group is refused', async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }))).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log group already exists',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('an invalid group name gets the constraint text', async ({ aws }) => {
    await expect(
      new CloudWatchLogsClient(aws).send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message:
        "1 validation error detected: Value 'bad name!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    });
  });

  test('DescribeLogGroups pages, filters by pattern, refuses prefix with pattern', async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    for (const name of ['/lab/a', '/lab/b', '/lab/c', '/other/Lab-x']) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    }
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/lab/', limit: 2 }));
    expect(first.logGroups?.map((g) => g.logGroupName)).toEqual(['/lab/a', '/lab/b']);
    const second = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/lab/', limit: 2, nextToken: first.nextToken }),
    );
    expect(second.logGroups?.map((g) => g.logGroupName)).toEqual(['/lab/c']);
    expect(second.nextToken).toBeUndefined();
    // A case-sensitive substring, as DescribeLogGroups' API reference says.
    const byPattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'Lab-' }));
    expect(byPattern.logGroups?.map((g) => g.logGroupName)).toEqual(['/other/Lab-x']);
    const otherCase = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'lab-' }));
    expect(otherCase.logGroups).toEqual([]);
    await expect(
      logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/lab', logGroupNamePattern: 'x' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    });
  });

  test('PutRetentionPolicy sets retention and refuses values outside the enum', async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 7 }));
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: GROUP }));
    expect(logGroups?.[0]?.retentionInDays).toBe(7);
    await expect(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 2 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining("Value '2' at 'retentionInDays'"),
    });
  });

  test('DeleteLogGroup removes the group; a missing group is ResourceNotFound', async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await logs.send(new DeleteLogGroupCommand({ logGroupName: GROUP }));
    await expect(logs.send(new DeleteLogGroupCommand({ logGroupName: GROUP }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });
});

test.describe('CloudWatch Logs: streams and events', () => {
  test.beforeEach(async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM }));
  });

  test('streams: duplicate refused, described with event times', async ({ aws, accountId }) => {
    const logs = new CloudWatchLogsClient(aws);
    await expect(
      logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM })),
    ).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log stream already exists',
    });
    const now = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        logEvents: [{ timestamp: now, message: 'x' }],
      }),
    );
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
    expect(logStreams).toEqual([
      expect.objectContaining({
        logStreamName: STREAM,
        firstEventTimestamp: now,
        lastEventTimestamp: now,
        arn: `arn:aws:logs:us-east-1:${accountId}:log-group:${GROUP}:log-stream:${STREAM}`,
      }),
    ]);
  });

  test('PutLogEvents refuses events out of order', async ({ aws }) => {
    const now = Date.now();
    await expect(
      new CloudWatchLogsClient(aws).send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: STREAM,
          logEvents: [
            { timestamp: now, message: 'b' },
            { timestamp: now - 1000, message: 'a' },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Log events in a single PutLogEvents request must be in chronological order.',
    });
  });

  test('PutLogEvents refuses a batch spanning more than 24 hours', async ({ aws }) => {
    const now = Date.now();
    await expect(
      new CloudWatchLogsClient(aws).send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: STREAM,
          logEvents: [
            { timestamp: now - 25 * 3_600_000, message: 'a' },
            { timestamp: now, message: 'b' },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    });
  });

  test('PutLogEvents rejects too old and too new events but keeps the rest', async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    const now = Date.now();
    const put = (timestamps: number[]) =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: STREAM,
          logEvents: timestamps.map((timestamp, i) => ({ timestamp, message: `e${i}@${timestamp - now}` })),
        }),
      );
    const future = await put([now - 1000, now + 3 * 3_600_000]);
    expect(future.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 1 });
    const old = await put([now - 15 * 86_400_000, now - 15 * 86_400_000 + 1]);
    // Exclusive, as AWS documents it and LocalStack's AWS-validated snapshots record it.
    expect(old.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 2 });
    const { events } = await logs.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM }),
    );
    expect(events?.map((e) => e.message)).toEqual(['e0@-1000']);
  });

  test('PutLogEvents to a missing stream is ResourceNotFound', async ({ aws }) => {
    await expect(
      new CloudWatchLogsClient(aws).send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: 'nope',
          logEvents: [{ timestamp: Date.now(), message: 'x' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
  });

  test('GetLogEvents reads from the head with forward tokens', async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    const now = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        logEvents: [1, 2, 3].map((i) => ({ timestamp: now - 10 + i, message: `m${i}` })),
      }),
    );
    const page1 = await logs.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, startFromHead: true, limit: 2 }),
    );
    expect(page1.events?.map((e) => e.message)).toEqual(['m1', 'm2']);
    expect(page1.events?.[0]).toEqual({
      timestamp: now - 9,
      message: 'm1',
      ingestionTime: expect.any(Number),
    });
    const page2 = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        nextToken: page1.nextForwardToken,
        limit: 2,
      }),
    );
    expect(page2.events?.map((e) => e.message)).toEqual(['m3']);
    await expect(
      logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, limit: 10001 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message:
        "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
    });
  });

  test('FilterLogEvents: terms, quoted phrases, exclusions, JSON patterns', async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    const now = Date.now();
    const record = (operation: string, tokens: number) =>
      JSON.stringify({ operation, modelId: 'm', input: { inputTokenCount: tokens } });
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        logEvents: [
          { timestamp: now - 3, message: 'Permissions are correctly set for Amazon Bedrock logs.' },
          { timestamp: now - 2, message: record('InvokeModel', 12) },
          { timestamp: now - 1, message: record('Converse', 40) },
        ],
      }),
    );
    const filter = async (filterPattern: string) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern }))).events?.map(
        (e) => e.message,
      );
    expect(await filter('Permissions Bedrock')).toHaveLength(1);
    expect(await filter('"correctly set"')).toHaveLength(1);
    expect(await filter('"correctly unset"')).toHaveLength(0);
    expect(await filter('{ $.operation = "InvokeModel" }')).toEqual([record('InvokeModel', 12)]);
    expect(await filter('{ $.input.inputTokenCount > 20 }')).toEqual([record('Converse', 40)]);
    expect(await filter('{ $.operation = "Conv*" || $.operation = "Invoke*" }')).toHaveLength(2);
    expect(await filter('modelId -Converse')).toEqual([record('InvokeModel', 12)]);
    expect(await filter('?Permissions ?Converse')).toHaveLength(2);
    const all = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }));
    expect(all.events?.[0]).toEqual({
      logStreamName: STREAM,
      timestamp: now - 3,
      message: 'Permissions are correctly set for Amazon Bedrock logs.',
      ingestionTime: expect.any(Number),
      eventId: expect.stringMatching(/^\d+$/),
    });
    expect(all.searchedLogStreams).toEqual([{ logStreamName: STREAM, searchedCompletely: true }]);
  });

  test('FilterLogEvents refuses a malformed JSON pattern', async ({ aws }) => {
    await expect(
      new CloudWatchLogsClient(aws).send(
        new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.a = ' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Invalid filter pattern' });
  });
});

/** Where LocalStack's AWS-validated snapshot tests of CloudWatch Logs recorded AWS doing otherwise. */
test.describe('CloudWatch Logs as AWS answered in recorded tests', () => {
  test('an empty stream has no upload sequence token; one written to has', async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 'empty' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 'used' }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'g',
        logStreamName: 'used',
        logEvents: [{ timestamp: Date.now(), message: 'x' }],
      }),
    );
    const { logStreams = [] } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'g' }));
    expect(logStreams.find((s) => s.logStreamName === 'empty')).not.toHaveProperty('uploadSequenceToken');
    expect(logStreams.find((s) => s.logStreamName === 'used')?.uploadSequenceToken).toMatch(/\d/);
  });

  test('a group named both by name and by ARN is refused', async ({ aws, accountId }) => {
    const logs = new CloudWatchLogsClient(aws);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await expect(
      logs.send(
        new DescribeLogStreamsCommand({
          logGroupName: 'g',
          logGroupIdentifier: `arn:aws:logs:us-east-1:${accountId}:log-group:g`,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
    });
  });
});

test.describe('CloudWatch Logs: tags, listing, retention', () => {
  test('tags are one set for both tagging APIs, capped at 50, on the caller’s own groups only', async ({
    aws,
    accountId,
  }) => {
    const logs = new CloudWatchLogsClient(aws);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g', tags: { a: '1' } }));
    const resourceArn = `arn:aws:logs:us-east-1:${accountId}:log-group:g`;
    await logs.send(new TagLogGroupCommand({ logGroupName: 'g', tags: { b: '2' } }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual({
      a: '1',
      b: '2',
    });

    const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
    await expect(logs.send(new TagResourceCommand({ resourceArn, tags: many }))).rejects.toMatchObject({
      name: 'TooManyTagsException',
    });
    // Another account's group by ARN names none of the caller's.
    const foreign = `arn:aws:logs:us-east-1:${accountId === '111111111111' ? '222222222222' : '111111111111'}:log-group:g`;
    await expect(
      logs.send(new TagResourceCommand({ resourceArn: foreign, tags: { x: 'y' } })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    // Tags on what the sandbox does not emulate fail loudly.
    await expect(
      logs.send(
        new ListTagsForResourceCommand({ resourceArn: `arn:aws:logs:us-east-1:${accountId}:destination:d` }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 501 } });
  });

  test('ListLogGroups lists names, ARNs and classes by regular expression; linked accounts fail loudly', async ({
    aws,
  }) => {
    const logs = new CloudWatchLogsClient(aws);
    for (const name of ['/lab/one', '/lab/two', '/other']) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    }
    // A case-sensitive regular expression: `^` a prefix, `|` alternatives.
    const { logGroups } = await logs.send(
      new ListLogGroupsCommand({ logGroupNamePattern: '^/lab/|nothing' }),
    );
    expect(logGroups?.map((g) => g.logGroupName)).toEqual(['/lab/one', '/lab/two']);
    const upper = await logs.send(new ListLogGroupsCommand({ logGroupNamePattern: 'LAB' }));
    expect(upper.logGroups).toEqual([]);
    expect(Object.keys(logGroups![0]!).sort()).toEqual(['logGroupArn', 'logGroupClass', 'logGroupName']);
    await expect(logs.send(new ListLogGroupsCommand({ includeLinkedAccounts: true }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 501 },
    });
  });

  test('DeleteRetentionPolicy makes the group keep events forever again', async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'g', retentionInDays: 7 }));
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'g' }));
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'g' }));
    expect(logGroups?.[0]).not.toHaveProperty('retentionInDays');
  });
});
