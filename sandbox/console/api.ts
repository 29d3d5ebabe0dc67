import { randomUUID } from 'node:crypto';
import type { Caller } from '../auth/credentials';
import type { SandboxRequest, SandboxResponse } from '../protocols/http';
import type { RequestContext } from '../service';
import { SERVICES } from '../services';
import type { World } from '../world';
import { invoke, shaped } from '../dispatch';

/**
 * The operations the console's pages call, as `POST /console/api/<service>/<Operation>` with the
 * SDK input as JSON. Like AWS's console they go through the services' own handlers by the API's
 * own path (dispatch.ts `invoke`), so the console validates, waits, fails on injected faults and
 * is authorized as the signed-in principal exactly as the API is, and each call is audited.
 */
const CONSOLE_OPERATIONS: Record<string, readonly string[]> = {
  sts: ['GetCallerIdentity'],
  bedrock: [
    'GetModelInvocationLoggingConfiguration',
    'PutModelInvocationLoggingConfiguration',
    'DeleteModelInvocationLoggingConfiguration',
  ],
  logs: ['DescribeLogGroups', 'CreateLogGroup', 'StartQuery', 'GetQueryResults', 'StopQuery'],
  monitoring: ['ListDashboards', 'GetDashboard', 'GetMetricData'],
  iam: ['ListRoles', 'CreateRole', 'PutRolePolicy'],
};

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export async function consoleApi(
  world: World,
  req: SandboxRequest,
  caller: Caller,
  serviceName: string,
  operation: string,
): Promise<SandboxResponse> {
  const requestId = randomUUID();
  const service = SERVICES.find((s) => s.name === serviceName);
  if (!service || !CONSOLE_OPERATIONS[serviceName]?.includes(operation)) {
    return json(404, {
      __type: 'UnknownOperationException',
      message: `The console does not call ${serviceName}:${operation}.`,
    });
  }
  // A JSON content type cannot be sent cross-site without a CORS preflight, which the sandbox never grants.
  if (req.method !== 'POST' || !/^application\/json\b/.test(String(req.headers['content-type'] ?? ''))) {
    return json(400, { __type: 'BadRequest', message: 'Console calls are POSTed as application/json.' });
  }
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return json(400, { __type: 'SerializationException', message: 'The request body is not valid JSON.' });
  }
  const requested = req.query.get('region') ?? 'us-east-1';
  // IAM is global and signs in us-east-1, as the API does.
  const region = service.name === 'iam' ? 'us-east-1' : REGION.test(requested) ? requested : 'us-east-1';
  const ctx: RequestContext = { world, service, caller, accountId: caller.accountId, region, requestId };
  return invoke(ctx, operation, () => shaped(service, operation, input), 'json', {
    output: (output) => json(200, output ?? {}),
    error: (error) => json(error.status, { __type: error.code, message: error.message, ...error.fields }),
  });
}

function json(status: number, body: unknown): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}
