import type { LoggingConfig } from '@aws-sdk/client-bedrock';
import { expect, test } from '@playwright/test';
import {
  bedrockTrust,
  checkLogGroup,
  checkLoggingEnabled,
  checkLoggingRole,
  checkTextData,
  type RoleState,
} from '../../specs/genai-monitoring/lab/checks/logging';
import { LAB } from '../../specs/genai-monitoring/lab/facts';
import type { CheckStatus } from '../../helpers/grade-contract';
import type { Verdict } from '../../helpers/verdict';
import { bedrockTrustPolicy } from '../fixtures/lab-policies';

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '999988887777';
const REGION = 'us-east-1';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${LAB.roleName}`;

const cloudWatch = (logGroupName: string): LoggingConfig => ({
  cloudWatchConfig: { logGroupName, roleArn: ROLE_ARN },
  textDataDeliveryEnabled: true,
});

interface Case<I> {
  name: string;
  input: I;
  status: CheckStatus;
  /** Fragments the verdict's message must contain. */
  says: (string | RegExp)[];
}

/** A failure carries its hint; an inconclusive verdict names who must act; a pass has neither. */
function expectVerdict(verdict: Verdict, c: Case<unknown>): void {
  expect(verdict.status, verdict.message).toBe(c.status);
  for (const fragment of c.says) {
    if (typeof fragment === 'string') expect(verdict.message).toContain(fragment);
    else expect(verdict.message).toMatch(fragment);
  }
  if (c.status === 'fail') expect(verdict.hint?.trim()).toBeTruthy();
  else expect(verdict.hint).toBeUndefined();
  if (c.status === 'inconclusive') expect(verdict.actor).toBe('instructor');
  else expect(verdict.actor).toBeUndefined();
}

test.describe('checkLoggingEnabled', () => {
  const cases: Case<LoggingConfig | undefined>[] = [
    { name: 'not configured', input: undefined, status: 'fail', says: ['not configured in us-east-1'] },
    {
      name: 'S3 only',
      input: { s3Config: { bucketName: 'logs-bucket' }, textDataDeliveryEnabled: true },
      status: 'fail',
      says: ['without CloudWatch Logs', 'S3 only'],
    },
    { name: 'no destination at all', input: {}, status: 'fail', says: ['no destination'] },
    {
      name: 'CloudWatch Logs to the lab group',
      input: cloudWatch(LAB.logGroup),
      status: 'pass',
      says: [`group ${LAB.logGroup}`, 'us-east-1'],
    },
    {
      name: 'CloudWatch Logs to another group (still enabled)',
      input: cloudWatch('/other/group'),
      status: 'pass',
      says: ['/other/group'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => expectVerdict(checkLoggingEnabled({ config: c.input, region: REGION }), c));
  }
});

test.describe('checkLogGroup', () => {
  const cases: Case<{ config: LoggingConfig | undefined; groupExists: boolean }>[] = [
    {
      name: 'not configured',
      input: { config: undefined, groupExists: false },
      status: 'fail',
      says: ['No CloudWatch Logs group'],
    },
    {
      name: 'S3 only',
      input: { config: { s3Config: { bucketName: 'b' } }, groupExists: false },
      status: 'fail',
      says: ['No CloudWatch Logs group'],
    },
    {
      name: 'the lab group, which exists',
      input: { config: cloudWatch(LAB.logGroup), groupExists: true },
      status: 'pass',
      says: [LAB.logGroup, 'exists'],
    },
    {
      name: 'another group',
      input: { config: cloudWatch('/aws/bedrock/invocations'), groupExists: true },
      status: 'fail',
      says: ["'/aws/bedrock/invocations'", `expects '${LAB.logGroup}'`],
    },
    {
      name: 'the lab group, missing',
      input: { config: cloudWatch(LAB.logGroup), groupExists: false },
      status: 'fail',
      says: ['does not exist'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => expectVerdict(checkLogGroup({ ...c.input, region: REGION }), c));
  }
});

test.describe('checkTextData', () => {
  const cases: Case<LoggingConfig | undefined>[] = [
    { name: 'not configured', input: undefined, status: 'fail', says: ['not configured'] },
    {
      name: 'text data on',
      input: { ...cloudWatch(LAB.logGroup), textDataDeliveryEnabled: true },
      status: 'pass',
      says: ['Text data delivery is on.'],
    },
    {
      name: 'text data off',
      input: { ...cloudWatch(LAB.logGroup), textDataDeliveryEnabled: false },
      status: 'fail',
      says: ['off', 'prompts and responses'],
    },
    {
      name: 'text data unset counts as off',
      input: { cloudWatchConfig: { logGroupName: LAB.logGroup, roleArn: ROLE_ARN } },
      status: 'fail',
      says: ['off'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => expectVerdict(checkTextData({ config: c.input, region: REGION }), c));
  }
});

const ALLOWED: RoleState['permissions'] = {
  'logs:CreateLogStream': 'allowed',
  'logs:PutLogEvents': 'allowed',
};

function role(overrides: Partial<RoleState>): RoleState {
  return {
    roleArn: ROLE_ARN,
    trustPolicy: bedrockTrustPolicy(ACCOUNT),
    permissions: ALLOWED,
    accountId: ACCOUNT,
    region: REGION,
    groupName: LAB.logGroup,
    ...overrides,
  };
}

test.describe('checkLoggingRole', () => {
  const cases: Case<Partial<RoleState>>[] = [
    {
      name: 'no role configured',
      input: { roleArn: undefined },
      status: 'fail',
      says: ['no CloudWatch Logs role'],
    },
    {
      name: 'role missing',
      input: { trustPolicy: undefined },
      status: 'fail',
      says: [ROLE_ARN, 'does not exist'],
    },
    {
      name: 'trust policy without bedrock',
      input: {
        trustPolicy: bedrockTrustPolicy(ACCOUNT, { service: 'lambda.amazonaws.com' }),
      },
      status: 'fail',
      says: ['cannot be assumed by Bedrock', 'does not allow bedrock.amazonaws.com'],
    },
    {
      name: 'documented trust policy and both permissions',
      input: {},
      status: 'pass',
      says: [ROLE_ARN, 'trusts Bedrock', LAB.logGroup],
    },
    {
      name: 'trust conditions for another account',
      input: { trustPolicy: bedrockTrustPolicy(OTHER_ACCOUNT) },
      status: 'fail',
      says: ['conditions do not match', ACCOUNT],
    },
    {
      name: 'trust conditions the grader does not evaluate',
      input: {
        trustPolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: {
            Effect: 'Allow',
            Principal: { Service: 'bedrock.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { Bool: { 'aws:SecureTransport': 'true' } },
          },
        }),
      },
      status: 'inconclusive',
      says: [`cannot tell whether Bedrock may assume ${ROLE_ARN}`, 'conditions the grader does not evaluate'],
    },
    {
      name: 'trust policy is not JSON',
      input: { trustPolicy: '{"Version": "2012-10-17", ' },
      status: 'fail',
      says: ['not valid JSON'],
    },
    {
      name: 'PutLogEvents implicitly denied',
      input: { permissions: { ...ALLOWED, 'logs:PutLogEvents': 'implicitDeny' } },
      status: 'fail',
      says: [/may not logs:PutLogEvents on/, LAB.logStream],
    },
    {
      name: 'CreateLogStream explicitly denied',
      input: { permissions: { ...ALLOWED, 'logs:CreateLogStream': 'explicitDeny' } },
      status: 'fail',
      says: [/may not logs:CreateLogStream on/],
    },
    {
      name: 'both denied',
      input: { permissions: {} },
      status: 'fail',
      says: ['may not logs:CreateLogStream or logs:PutLogEvents'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => expectVerdict(checkLoggingRole(role(c.input)), c));
  }

  test('whichever part of the trust policy fails, the advice is the same', () => {
    const hints = [
      bedrockTrustPolicy(ACCOUNT, { service: 'lambda.amazonaws.com' }),
      bedrockTrustPolicy(OTHER_ACCOUNT),
      'not json',
    ].map((trustPolicy) => checkLoggingRole(role({ trustPolicy })).hint);
    expect(new Set(hints).size).toBe(1);
    expect(hints[0]).toContain('bedrock.amazonaws.com');
  });

  test('an undecidable trust policy is evidence for the instructor', () => {
    const trustPolicy = JSON.stringify({
      Statement: {
        Effect: 'Allow',
        Principal: { Service: 'bedrock.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
      },
    });
    expect(checkLoggingRole(role({ trustPolicy })).evidence).toEqual({ trustPolicy });
  });

  test('a denial carries the simulator decisions as evidence', () => {
    const permissions = { ...ALLOWED, 'logs:PutLogEvents': 'explicitDeny' } as const;
    expect(checkLoggingRole(role({ permissions })).evidence).toEqual({ permissions });
  });
});

test.describe('bedrockTrust', () => {
  const policy = (statement: unknown) => JSON.stringify({ Version: '2012-10-17', Statement: statement });
  const bedrock = {
    Effect: 'Allow',
    Principal: { Service: 'bedrock.amazonaws.com' },
    Action: 'sts:AssumeRole',
  };
  const cases: ({ name: string; text: string } & (
    { trusted: true } | { trusted: false | 'unknown'; reason: string }
  ))[] = [
    { name: 'documented policy', text: bedrockTrustPolicy(ACCOUNT), trusted: true },
    { name: 'no conditions', text: policy(bedrock), trusted: true },
    { name: 'single statement object', text: policy({ ...bedrock }), trusted: true },
    {
      name: 'lists for service, action and condition values',
      text: policy({
        ...bedrock,
        Principal: { Service: ['ec2.amazonaws.com', 'bedrock.amazonaws.com'] },
        Action: ['sts:TagSession', 'sts:AssumeRole'],
        Condition: { StringEquals: { 'aws:SourceAccount': [OTHER_ACCOUNT, ACCOUNT] } },
      }),
      trusted: true,
    },
    { name: 'sts:* action', text: policy({ ...bedrock, Action: 'sts:*' }), trusted: true },
    { name: 'principal *', text: policy({ ...bedrock, Principal: '*' }), trusted: true },
    {
      name: 'condition key names are case-insensitive',
      text: policy({ ...bedrock, Condition: { StringEquals: { 'AWS:sourceaccount': ACCOUNT } } }),
      trusted: true,
    },
    {
      name: 'IfExists on a key Bedrock does not send',
      text: policy({ ...bedrock, Condition: { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-1' } } }),
      trusted: true,
    },
    {
      name: 'a key Bedrock does not send',
      text: policy({ ...bedrock, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }),
      trusted: false,
      reason: 'conditions do not match',
    },
    {
      name: 'source ARN in another region',
      text: policy({
        ...bedrock,
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:eu-west-1:${ACCOUNT}:*` } },
      }),
      trusted: false,
      reason: 'region us-east-1',
    },
    {
      name: 'Deny only',
      text: policy({ ...bedrock, Effect: 'Deny' }),
      trusted: false,
      reason: 'denies',
    },
    {
      name: 'an Allow overruled by a Deny',
      text: policy([bedrock, { ...bedrock, Effect: 'Deny' }]),
      trusted: false,
      reason: 'denies',
    },
    {
      name: 'a wildcard action',
      text: policy({ ...bedrock, Action: 'sts:Assume*' }),
      trusted: true,
    },
    {
      name: 'another action',
      text: policy({ ...bedrock, Action: 'sts:AssumeRoleWithWebIdentity' }),
      trusted: false,
      reason: 'does not allow',
    },
    { name: 'no statements', text: '{"Version":"2012-10-17"}', trusted: false, reason: 'does not allow' },
    { name: 'not JSON', text: 'not json', trusted: false, reason: 'not valid JSON' },
    {
      name: 'StringNotEquals another account',
      text: policy({ ...bedrock, Condition: { StringNotEquals: { 'aws:SourceAccount': OTHER_ACCOUNT } } }),
      trusted: true,
    },
    {
      name: 'StringNotEquals its own account',
      text: policy({ ...bedrock, Condition: { StringNotEquals: { 'aws:SourceAccount': ACCOUNT } } }),
      trusted: false,
      reason: 'conditions do not match',
    },
    {
      name: 'an operator the check does not evaluate',
      text: policy({ ...bedrock, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
      trusted: 'unknown',
      reason: 'conditions the grader does not evaluate',
    },
    {
      name: 'a key Bedrock may send (the source organization)',
      text: policy({ ...bedrock, Condition: { StringEquals: { 'aws:SourceOrgID': 'o-1' } } }),
      trusted: 'unknown',
      reason: 'conditions the grader does not evaluate',
    },
    {
      // IAM's ArnEquals matches wildcards within a segment, as ArnLike does.
      name: 'ArnEquals with a wildcard source ARN',
      text: policy({
        ...bedrock,
        Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${ACCOUNT}:*` } },
      }),
      trusted: true,
    },
    {
      name: 'ArnEquals a wildcard in another account',
      text: policy({
        ...bedrock,
        Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${OTHER_ACCOUNT}:*` } },
      }),
      trusted: false,
      reason: 'conditions do not match',
    },
    {
      name: 'an exact source ARN: AWS does not document which Bedrock presents',
      text: policy({
        ...bedrock,
        Condition: {
          ArnEquals: { 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${ACCOUNT}:model-invocation-logging` },
        },
      }),
      trusted: 'unknown',
      reason: 'depend on the aws:SourceArn Bedrock presents',
    },
    {
      name: 'a Deny whose known condition fails does not apply, whatever its unknown one',
      text: policy([
        bedrock,
        {
          ...bedrock,
          Effect: 'Deny',
          Condition: {
            Bool: { 'aws:SecureTransport': 'true' },
            StringEquals: { 'aws:SourceAccount': OTHER_ACCOUNT },
          },
        },
      ]),
      trusted: true,
    },
    {
      name: 'an unknown condition does not save a statement another condition rules out',
      text: policy({
        ...bedrock,
        Condition: {
          Bool: { 'aws:SecureTransport': 'true' },
          StringEquals: { 'aws:SourceAccount': OTHER_ACCOUNT },
        },
      }),
      trusted: false,
      reason: 'conditions do not match',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = bedrockTrust(c.text, ACCOUNT, REGION);
      if (c.trusted === true) expect(result).toEqual({ trusted: true });
      else expect(result).toEqual({ trusted: c.trusted, reason: expect.stringContaining(c.reason) });
    });
  }
});
