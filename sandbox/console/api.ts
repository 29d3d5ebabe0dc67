import { randomUUID } from 'node:crypto';
import type { Caller } from '../auth/credentials';
import { AwsError } from '../protocols/errors';
import type { SandboxRequest, SandboxResponse } from '../protocols/http';
import type { RequestContext, ServiceDefinition } from '../service';
import { SERVICES } from '../services';
import type { World } from '../world';
import { shaped } from '../dispatch';
import { runOperation } from '../operations';

/**
 * The operations the console's pages call, as `POST /console/api/<service>/<Operation>` with the
 * SDK input as JSON. Like AWS's console they go through the services' own handlers, so the
 * console validates exactly as the API does, and each call is authorized as the signed-in
 * principal and written to the audit log.
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
  const response = await call(world, caller, service, operation, input, region, requestId);
  world.audit.record({
    time: new Date().toISOString(),
    requestId,
    accountId: caller.accountId,
    region,
    service: service.name,
    operation,
    caller: caller.arn,
    readOnly: service.readOnly.has(operation),
    status: response.status,
    errorCode:
      response.status >= 400 ? (JSON.parse(String(response.body)) as { __type: string }).__type : undefined,
  });
  return response;
}

async function call(
  world: World,
  caller: Caller,
  service: ServiceDefinition,
  operation: string,
  input: Record<string, unknown>,
  region: string,
  requestId: string,
): Promise<SandboxResponse> {
  const ctx: RequestContext = { world, service, caller, accountId: caller.accountId, region, requestId };
  try {
    const checked = shaped(service, operation, input);
    const denied = world.iam.get(caller.accountId).authorize(caller, service, operation, checked, ctx);
    if (denied) throw denied;
    return json(200, (await runOperation(ctx, operation, checked)) ?? {});
  } catch (error) {
    if (error instanceof AwsError) {
      return json(error.status, { __type: error.code, message: error.message, ...error.fields });
    }
    console.error(`[sandbox] console ${service.name}:${operation} failed:`, error);
    return json(500, {
      __type: 'InternalFailure',
      message: 'The request processing has failed because of an unknown error.',
    });
  }
}

function json(status: number, body: unknown): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}
