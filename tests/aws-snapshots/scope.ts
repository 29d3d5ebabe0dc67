/**
 * What the recorded AWS tests cover that the sandbox does not set out to emulate, and where it
 * knowingly answers otherwise than AWS did.
 *
 * The sandbox emulates what the lab and its grader use: log groups, streams, events, Logs
 * Insights queries and tags; CloudWatch metrics and dashboards; IAM roles and their policies;
 * STS sessions. Everything else a recording covers is out of scope below, with the reason.
 * Where the sandbox knowingly answers otherwise than AWS did, each service's cases say so
 * (`KnownDeviations`), with the reason.
 */
const OUT_OF_SCOPE: { test: RegExp; why: string }[] = [
  {
    test: /test_cloudwatch\.py::TestCloudwatch::test_(.*alarm.*|store_tags|tagging_.*)(\[|$)/,
    why: 'CloudWatch alarms and their tags: the lab sets none',
  },
  { test: /test_cloudwatch\.py::TestCloudwatch::test_alarm_lambda_target$/, why: 'alarms and Lambda' },
  { test: /test_cloudwatch\.py::TestCloudwatch::test_aws_sqs_metrics_created$/, why: 'Amazon SQS' },
  { test: /test_cloudwatch\.py::TestCloudwatch::test_create_metric_stream\[/, why: 'metric streams' },
  { test: /test_cloudwatch\.py::TestCloudwatch::test_insight_rule\[/, why: 'Contributor Insights rules' },
  {
    test: /test_cloudwatch\.py::TestCloudwatch::test_anomaly_detector_lifecycle\[/,
    why: 'anomaly detectors',
  },
  { test: /test_iam\.py::TestIAMIntegrations::test_user_attach_policy$/, why: 'IAM users' },
  {
    test: /test_iam\.py::TestIAMPolicyEncoding::test_put_(user|group)_policy_encoding$/,
    why: 'IAM users and groups',
  },
  {
    test: /test_iam\.py::TestIAMServiceSpecificCredentials::/,
    why: 'IAM users and their service credentials',
  },
  { test: /test_iam\.py::TestIAMServiceRoles::/, why: 'service-linked roles: only services create them' },
  {
    test: /test_iam\.py::TestIAMIntegrations::test_simulate_principle_policy\[/,
    why: 'the IAM policy simulator',
  },
];

/** Why a recorded test is not replayed, or undefined when it is in scope. */
export function outOfScope(id: string): string | undefined {
  return OUT_OF_SCOPE.find(({ test }) => test.test(id))?.why;
}
