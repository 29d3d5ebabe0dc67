import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createClients } from '../../helpers/aws-clients';
import { replayRequests, shapeDifferences, type ShapeDifference } from '../../helpers/parity';
import { readRecording, type RecordedCall } from '../../helpers/recording';
import { expect, test } from '../fixtures/sandbox';
import { LabBuilder } from '../../specs/genai-monitoring/lab/scenario';
import { REGION } from '../../testkit/run-grader';

/**
 * Every recording in tests/recordings is replayed against the sandbox: the lab carried out in a
 * fresh account, the recording's requests sent again, and the answers compared field by field.
 * A recording of a real account thus lists where the sandbox differs from AWS.
 */
const RECORDINGS = join(__dirname, '..', 'recordings');
const recordings = readdirSync(RECORDINGS, { withFileTypes: true }).filter((d) => d.isDirectory());

const listed = (differences: ShapeDifference[]) =>
  differences.map((d) => `${d.call}: ${d.path} recorded ${d.recorded}, replayed ${d.replayed}`).join('\n');

test.describe('the sandbox answers recorded requests alike', () => {
  for (const { name } of recordings) {
    test(`${name}: every field, of every type, as recorded`, async ({ sandbox, accountId }) => {
      test.setTimeout(120_000);
      await new LabBuilder(sandbox.url, accountId).complete();
      const clients = createClients({
        region: REGION,
        endpoint: sandbox.url,
        credentials: { accessKeyId: accountId, secretAccessKey: 'test' },
        maxAttempts: 1,
      });
      const recorded = readRecording(join(RECORDINGS, name));
      const replayed = await replayRequests(clients, accountId, recorded);
      // Each recorded call is sent again; a query may be polled more often than it was.
      expect(replayed.length).toBeGreaterThanOrEqual(recorded.length);
      // The lab window moves to now: Bedrock's metrics come back with data, so their shapes are compared.
      const metricValues = replayed
        .filter((c) => c.command === 'GetMetricDataCommand')
        .flatMap((c) => (c.output as { MetricDataResults?: { Values?: number[] }[] }).MetricDataResults ?? [])
        .flatMap((r) => r.Values ?? []);
      expect(metricValues.length).toBeGreaterThan(0);
      const differences = shapeDifferences(recorded, replayed);
      expect(differences, listed(differences)).toEqual([]);
    });
  }
});

test.describe('shape differences', () => {
  const record = (extra: object = {}) =>
    JSON.stringify({ timestamp: '2026-12-01T10:00:00Z', input: { inputTokenCount: 10 }, ...extra });
  const filter = (output: unknown): RecordedCall => ({
    client: 'logs',
    command: 'FilterLogEventsCommand',
    input: {},
    output,
  });

  test('alike answers, values apart, have none', () => {
    const a = filter({ events: [{ message: record(), timestamp: 1 }] });
    const b = filter({ events: [{ message: record({ timestamp: '2027-01-01T00:00:00Z' }), timestamp: 2 }] });
    expect(shapeDifferences([a], [b])).toEqual([]);
  });

  test('a field of the record inside a message, sent by one side only', () => {
    const aws = filter({ events: [{ message: record({ errorCode: 'ThrottlingException' }) }] });
    const sandbox = filter({ events: [{ message: record() }] });
    expect(shapeDifferences([aws], [sandbox])).toEqual([
      {
        call: 'logs FilterLogEventsCommand',
        path: 'events[].message{}.errorCode',
        recorded: 'string',
        replayed: 'absent',
      },
    ]);
  });

  test('a field of another type', () => {
    const aws = filter({ events: [{ message: record({ input: { inputTokenCount: '10' } }) }] });
    const sandbox = filter({ events: [{ message: record() }] });
    expect(shapeDifferences([aws], [sandbox])).toEqual([
      {
        call: 'logs FilterLogEventsCommand',
        path: 'events[].message{}.input.inputTokenCount',
        recorded: 'string',
        replayed: 'number',
      },
    ]);
  });

  test('an array one side left empty says nothing of its items', () => {
    expect(shapeDifferences([filter({ events: [{ message: record() }] })], [filter({ events: [] })])).toEqual(
      [],
    );
  });

  test('a call that failed on one side only', () => {
    const failed: RecordedCall = {
      client: 'logs',
      command: 'FilterLogEventsCommand',
      input: {},
      error: {
        name: 'ResourceNotFoundException',
        message: 'The specified log group does not exist.',
        status: 400,
      },
    };
    const differences = shapeDifferences([filter({ events: [] })], [failed]);
    expect(differences.map((d) => [d.call, d.path, d.recorded, d.replayed])).toEqual([
      ['logs FilterLogEventsCommand', '(whole)', 'object', 'absent'],
      ['logs FilterLogEventsCommand', 'events', 'array', 'absent'],
      ['logs FilterLogEventsCommand error', '(whole)', 'absent', 'object'],
      ['logs FilterLogEventsCommand error', 'name', 'absent', 'string'],
      ['logs FilterLogEventsCommand error', 'message', 'absent', 'string'],
      ['logs FilterLogEventsCommand error', 'status', 'absent', 'number'],
    ]);
  });
});
