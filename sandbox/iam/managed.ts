/**
 * The AWS managed policies a lab role is likely to attach. Documents are abridged from AWS's
 * published versions to the statements that matter here (the real ReadOnlyAccess lists every
 * service's read actions; this one uses `*:Describe*`-style wildcards). PolicyIds are
 * sandbox-made and every DefaultVersionId is v1: the real ones differ and change over time.
 */
export interface AwsManagedPolicy {
  name: string;
  arn: string;
  path: string;
  id: string;
  description: string;
  document: string;
  created: Date;
}

const CREATED = new Date('2015-02-06T18:40:00Z');

function managed(
  name: string,
  id: string,
  description: string,
  statements: Record<string, unknown>[],
): AwsManagedPolicy {
  return {
    name,
    arn: `arn:aws:iam::aws:policy/${name}`,
    path: '/',
    id,
    description,
    document: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    created: CREATED,
  };
}

const TABLE: AwsManagedPolicy[] = [
  managed(
    'AdministratorAccess',
    'ANPAIWMBCKSKIEE64ZLYK',
    'Provides full access to AWS services and resources.',
    [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  ),
  managed(
    'ReadOnlyAccess',
    'ANPAILL3HVNFSB6DCOWYQ',
    'Provides read-only access to AWS services and resources.',
    [
      {
        Sid: 'ReadOnlyActions',
        Effect: 'Allow',
        Action: [
          '*:Describe*',
          '*:Get*',
          '*:List*',
          '*:BatchGet*',
          'logs:StartQuery',
          'logs:StopQuery',
          'logs:FilterLogEvents',
          'logs:TestMetricFilter',
        ],
        Resource: '*',
      },
    ],
  ),
  managed('CloudWatchLogsFullAccess', 'ANPAJ3ZGNWK2R5HW5BQFO', 'Provides full access to CloudWatch Logs', [
    {
      Sid: 'CloudWatchLogsFullAccess',
      Effect: 'Allow',
      Action: ['logs:*', 'cloudwatch:GenerateQuery', 'cloudwatch:GenerateQueryResultsSummary'],
      Resource: '*',
    },
  ]),
  managed(
    'CloudWatchLogsReadOnlyAccess',
    'ANPAJ2YIYDYSNNEHK3VKW',
    'Provides read only access to CloudWatch Logs',
    [
      {
        Sid: 'CloudWatchLogsReadOnlyAccess',
        Effect: 'Allow',
        Action: [
          'logs:Describe*',
          'logs:Get*',
          'logs:List*',
          'logs:StartQuery',
          'logs:StopQuery',
          'logs:TestMetricFilter',
          'logs:FilterLogEvents',
          'logs:StartLiveTail',
          'logs:StopLiveTail',
          'cloudwatch:GenerateQuery',
          'cloudwatch:GenerateQueryResultsSummary',
        ],
        Resource: '*',
      },
    ],
  ),
  managed('CloudWatchReadOnlyAccess', 'ANPAJN23PDQP7SZQAE3QE', 'Provides read only access to CloudWatch.', [
    {
      Sid: 'CloudWatchReadOnlyAccessPermissions',
      Effect: 'Allow',
      Action: [
        'application-autoscaling:DescribeScalingPolicies',
        'autoscaling:Describe*',
        'cloudwatch:BatchGet*',
        'cloudwatch:Describe*',
        'cloudwatch:GenerateQuery',
        'cloudwatch:Get*',
        'cloudwatch:List*',
        'logs:Get*',
        'logs:List*',
        'logs:StartQuery',
        'logs:StopQuery',
        'logs:Describe*',
        'logs:TestMetricFilter',
        'logs:FilterLogEvents',
        'logs:StartLiveTail',
        'logs:StopLiveTail',
        'oam:ListSinks',
        'sns:Get*',
        'sns:List*',
        'xray:BatchGet*',
        'xray:Get*',
      ],
      Resource: '*',
    },
  ]),
  managed('CloudWatchFullAccessV2', 'ANPA4PSBKBNBJ2SPKQ7PG', 'Provides full access to CloudWatch.', [
    {
      Sid: 'CloudWatchFullAccessPermissions',
      Effect: 'Allow',
      Action: [
        'application-autoscaling:DescribeScalingPolicies',
        'autoscaling:Describe*',
        'cloudwatch:*',
        'logs:*',
        'sns:*',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:GetRole',
        'oam:ListSinks',
        'rum:*',
        'synthetics:*',
        'xray:*',
      ],
      Resource: '*',
    },
  ]),
  managed(
    'AmazonBedrockFullAccess',
    'ANPAZKAPJZG4M5LNYSR5Q',
    'Provides full access to Amazon Bedrock and other services.',
    [
      { Sid: 'BedrockAll', Effect: 'Allow', Action: ['bedrock:*'], Resource: '*' },
      { Sid: 'DescribeKey', Effect: 'Allow', Action: ['kms:DescribeKey'], Resource: 'arn:*:kms:*:::*' },
      {
        Sid: 'APIsWithAllResourceAccess',
        Effect: 'Allow',
        Action: ['iam:ListRoles', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
        Resource: '*',
      },
      {
        Sid: 'PassRoleToBedrock',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: 'arn:aws:iam::*:role/*AmazonBedrock*',
        Condition: { StringEquals: { 'iam:PassedToService': ['bedrock.amazonaws.com'] } },
      },
    ],
  ),
  managed('AmazonBedrockReadOnly', 'ANPAZKAPJZG4DKVAKVJRE', 'Provides read only access to Amazon Bedrock.', [
    {
      Sid: 'AmazonBedrockReadOnly',
      Effect: 'Allow',
      Action: ['bedrock:Get*', 'bedrock:List*'],
      Resource: '*',
    },
  ]),
  managed(
    'IAMReadOnlyAccess',
    'ANPAJKSO7NDY4T57MWDSQ',
    'Provides read only access to IAM via the AWS Management Console.',
    [
      {
        Effect: 'Allow',
        Action: [
          'iam:GenerateCredentialReport',
          'iam:GenerateServiceLastAccessedDetails',
          'iam:Get*',
          'iam:List*',
          'iam:SimulateCustomPolicy',
          'iam:SimulatePrincipalPolicy',
        ],
        Resource: '*',
      },
    ],
  ),
];

export const AWS_MANAGED_POLICIES: ReadonlyMap<string, AwsManagedPolicy> = new Map(
  TABLE.map((p) => [p.arn, p]),
);
