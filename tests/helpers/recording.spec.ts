import { GetQueryResultsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClients } from '../../helpers/aws-clients';
import { replayInto, type Recording } from '../../helpers/recording';

/** Clients that answer from `recording` and would fail on any real call (nothing listens on port 9). */
function replaying(recording: Recording) {
  const dir = mkdtempSync(join(tmpdir(), 'lab-replay-'));
  writeFileSync(join(dir, 'r.json'), JSON.stringify(recording));
  const clients = createClients({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  replayInto(clients, dir);
  return clients;
}

test('a recorded answer is given back, Dates as Dates', async () => {
  const { logs } = replaying({
    version: 1,
    calls: [
      {
        client: 'logs',
        command: 'GetQueryResultsCommand',
        input: { queryId: 'q' },
        output: { status: 'Running' },
      },
      {
        client: 'logs',
        command: 'GetQueryResultsCommand',
        input: { queryId: 'q' },
        output: {
          status: 'Complete',
          results: [],
          statistics: { at: { $date: '2026-12-01T00:00:00.000Z' } },
        },
      },
    ],
  });
  // Polling gets the answers in their order, then the last one again.
  expect((await logs.send(new GetQueryResultsCommand({ queryId: 'q' }))).status).toBe('Running');
  const done = await logs.send(new GetQueryResultsCommand({ queryId: 'q' }));
  expect(done.status).toBe('Complete');
  expect((done.statistics as unknown as { at: Date }).at).toEqual(new Date('2026-12-01T00:00:00.000Z'));
  expect((await logs.send(new GetQueryResultsCommand({ queryId: 'q' }))).status).toBe('Complete');
});

test('a recorded error is thrown as AWS threw it, status included', async () => {
  const { sts } = replaying({
    version: 1,
    calls: [
      {
        client: 'sts',
        command: 'GetCallerIdentityCommand',
        input: {},
        error: { name: 'AccessDenied', message: 'no', status: 403 },
      },
    ],
  });
  await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 },
  });
});

test('a call the recording never saw fails loudly, never reaching the network', async () => {
  const { logs } = replaying({ version: 1, calls: [] });
  await expect(logs.send(new GetQueryResultsCommand({ queryId: 'other' }))).rejects.toThrow(
    /has no answer to logs GetQueryResultsCommand/,
  );
});
