import { expect, test } from '@playwright/test';
import { parseSince, readSettings, SettingsError, type Env } from '../../helpers/settings';
import { readGenaiMonitoringSettings } from '../../specs/genai-monitoring/lab/settings';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const HOUR = 3_600_000;

/** Every setting a run of this lab reads: the framework's, then the lab's own, as its workers do. */
function readAll(env: Env) {
  return { ...readSettings(env, NOW), ...readGenaiMonitoringSettings(env) };
}

test.describe('readSettings', () => {
  test('defaults', () => {
    expect(readAll({})).toEqual({
      lab: undefined,
      mode: 'grade',
      target: 'local',
      sandboxUrl: 'http://127.0.0.1:4566',
      region: 'us-east-1',
      expectedAccount: undefined,
      reportsDir: 'reports',
      ingestionTimeoutSec: 10,
      minInvocations: 5,
      since: NOW - 7 * 24 * HOUR,
      fallbackModelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      strict: false,
      cleanup: false,
      evidence: 'redacted',
      learner: 'self',
      workers: 4,
    });
  });

  test('AWS waits longer for ingestion by default', () => {
    expect(readSettings({ LAB_TARGET: 'aws' }, NOW).ingestionTimeoutSec).toBe(120);
  });

  test('an explicit ingestion timeout wins over the target default', () => {
    expect(readSettings({ LAB_TARGET: 'aws', LAB_INGESTION_TIMEOUT: '30' }, NOW).ingestionTimeoutSec).toBe(
      30,
    );
  });

  test('values given are read and trimmed', () => {
    const settings = readAll({
      LAB_MODE: ' run ',
      LAB_TARGET: 'aws',
      LAB_SANDBOX_URL: 'http://localhost:9000/',
      AWS_REGION: 'eu-west-1',
      LAB_EXPECTED_ACCOUNT: '123456789012',
      LAB_REPORTS_DIR: 'out',
      LAB_MIN_INVOCATIONS: '3',
      LAB_FALLBACK_MODEL_ID: 'amazon.nova-micro-v1:0',
      LAB_EVIDENCE: 'full',
      LAB_LEARNER: 'alice',
      LAB: ' specs/genai-monitoring ',
    });
    expect(settings).toMatchObject({
      mode: 'run',
      target: 'aws',
      sandboxUrl: 'http://localhost:9000',
      region: 'eu-west-1',
      expectedAccount: '123456789012',
      reportsDir: 'out',
      minInvocations: 3,
      fallbackModelId: 'amazon.nova-micro-v1:0',
      evidence: 'full',
      learner: 'alice',
      lab: 'specs/genai-monitoring',
    });
  });

  test('AWS_DEFAULT_REGION is the fallback region', () => {
    expect(readSettings({ AWS_DEFAULT_REGION: 'us-west-2' }, NOW).region).toBe('us-west-2');
    expect(readSettings({ AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'us-west-2' }, NOW).region).toBe(
      'eu-central-1',
    );
  });

  test('empty values fall back to defaults', () => {
    const settings = readAll({ LAB_MODE: '', LAB_TARGET: '  ', LAB_MIN_INVOCATIONS: '', LAB: ' ' });
    expect(settings).toMatchObject({ mode: 'grade', target: 'local', minInvocations: 5, lab: undefined });
  });

  const flagCases: { raw: string | undefined; value: boolean }[] = [
    { raw: undefined, value: false },
    { raw: '', value: false },
    { raw: '0', value: false },
    { raw: 'false', value: false },
    { raw: 'no', value: false },
    { raw: '1', value: true },
    { raw: 'true', value: true },
    { raw: 'YES', value: true },
    { raw: ' True ', value: true },
  ];
  for (const c of flagCases) {
    test(`flags: ${JSON.stringify(c.raw)} is ${c.value}`, () => {
      const settings = readAll({ LAB_STRICT: c.raw, LAB_CLEANUP: c.raw });
      expect(settings.strict).toBe(c.value);
      expect(settings.cleanup).toBe(c.value);
    });
  }

  const invalid: { env: Record<string, string>; names: string; expects: string }[] = [
    { env: { LAB_MODE: 'check' }, names: 'LAB_MODE=check', expects: 'expected one of run, grade' },
    { env: { LAB_TARGET: 'AWS' }, names: 'LAB_TARGET=AWS', expects: 'expected one of local, aws' },
    { env: { LAB_EVIDENCE: 'all' }, names: 'LAB_EVIDENCE=all', expects: 'expected one of redacted, full' },
    {
      env: { LAB_EXPECTED_ACCOUNT: '12345' },
      names: 'LAB_EXPECTED_ACCOUNT=12345',
      expects: 'expected a 12-digit account id',
    },
    {
      env: { LAB_CONSOLE_ROLE_ARN: 'LabConsole' },
      names: 'LAB_CONSOLE_ROLE_ARN=LabConsole',
      expects: 'expected a role ARN',
    },
    {
      env: { LAB_INGESTION_TIMEOUT: 'soon' },
      names: 'LAB_INGESTION_TIMEOUT=soon',
      expects: 'expected a positive number',
    },
    { env: { LAB_INGESTION_TIMEOUT: '0' }, names: 'LAB_INGESTION_TIMEOUT=0', expects: 'positive number' },
    { env: { LAB_WORKERS: 'many' }, names: 'LAB_WORKERS=many', expects: 'positive number' },
    { env: { LAB_MIN_INVOCATIONS: '-1' }, names: 'LAB_MIN_INVOCATIONS=-1', expects: 'positive number' },
    { env: { LAB_MIN_INVOCATIONS: 'Infinity' }, names: 'LAB_MIN_INVOCATIONS=Infinity', expects: 'positive' },
    { env: { LAB_STRICT: 'maybe' }, names: 'LAB_STRICT=maybe', expects: 'expected 1 or 0' },
    { env: { LAB_CLEANUP: '2' }, names: 'LAB_CLEANUP=2', expects: 'expected 1 or 0' },
    { env: { LAB_SINCE: 'last week' }, names: 'LAB_SINCE=last week', expects: 'such as 7d, 36h, 90m' },
    {
      env: { LAB_RECORD: 'a', LAB_REPLAY: 'b' },
      names: 'LAB_RECORD=a and LAB_REPLAY=b',
      expects: 'not both',
    },
    {
      env: { LAB_REPLAY: 'b', LAB_MODE: 'run' },
      names: 'LAB_REPLAY=b',
      expects: 'cannot carry out the lab',
    },
  ];
  for (const c of invalid) {
    test(`invalid: ${c.names}`, () => {
      let thrown: unknown;
      try {
        readAll(c.env);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SettingsError);
      expect((thrown as Error).message).toContain(c.names);
      expect((thrown as Error).message).toContain(c.expects);
    });
  }
});

test.describe('parseSince', () => {
  const cases: { raw: string | undefined; since: number }[] = [
    { raw: undefined, since: NOW - 7 * 24 * HOUR },
    { raw: '', since: NOW - 7 * 24 * HOUR },
    { raw: '7d', since: NOW - 7 * 24 * HOUR },
    { raw: '36h', since: NOW - 36 * HOUR },
    { raw: '90m', since: NOW - 90 * 60_000 },
    { raw: '1.5h', since: NOW - 1.5 * HOUR },
    { raw: ' 2d ', since: NOW - 2 * 24 * HOUR },
    { raw: '2026-11-27T08:30:00Z', since: Date.parse('2026-11-27T08:30:00Z') },
    { raw: '2026-11-20', since: Date.parse('2026-11-20') },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.raw)}`, () => expect(parseSince(c.raw, NOW)).toBe(c.since));
  }

  for (const raw of ['7w', 'yesterday', '-3h']) {
    test(`invalid: ${raw}`, () => {
      expect(() => parseSince(raw, NOW)).toThrow(SettingsError);
      expect(() => parseSince(raw, NOW)).toThrow(`LAB_SINCE=${raw} is not valid`);
    });
  }
});
