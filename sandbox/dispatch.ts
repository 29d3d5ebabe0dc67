import { randomUUID } from 'node:crypto';
import type { Caller } from './auth/credentials';
import { clockSkewProblem, parseAuthorization, signatureMatches } from './auth/sigv4';
import { sleep } from './conditions';
import { decodeJsonBody, jsonError, jsonOperationName, jsonResponse } from './protocols/aws-json';
import { decodeQueryInput, queryError, queryParams, queryResponse } from './protocols/aws-query';
import { AwsError } from './protocols/errors';
import { checkInputConstraints } from './protocols/input-constraints';
import { checkInputShape, withoutNulls } from './protocols/input-shape';
import type { SandboxRequest, SandboxResponse } from './protocols/http';
import { header } from './protocols/http';
import { matchRoute, restJsonError, restJsonResponse } from './protocols/rest-json';
import {
  decodeCborBody,
  rpcV2CborError,
  rpcV2CborOperationName,
  rpcV2CborResponse,
  unclaimedRpcV2Cbor,
} from './protocols/rpc-v2-cbor';
import { RawResponse, type RequestContext, type ServiceDefinition } from './service';
import { runOperation } from './operations';
import { SERVICES } from './services';
import type { World } from './world';
import { authorize } from './iam/authorization';

/** How one request reaches one operation of one service, and how its answer is written. */
interface Route {
  service: ServiceDefinition;
  protocol: 'json' | 'query' | 'rest' | 'cbor';
  operation: string;
  decode: () => Record<string, unknown>;
}

/** Handles one AWS API request: route, authenticate, authorize, inject faults, run, audit. */
export async function dispatchAws(world: World, req: SandboxRequest): Promise<SandboxResponse> {
  const requestId = randomUUID();
  const auth = parseAuthorization(req);
  let route: Route | undefined;
  try {
    route = resolve(req, auth?.service);
  } catch (error) {
    // A body or path that cannot even be read to find the operation (bad gzip, bad escapes).
    // UNVERIFIED: AWS's code and text for such requests.
    const unreadable =
      error instanceof AwsError
        ? error
        : new AwsError('SerializationException', 'The request could not be read.', 400);
    return renderError(undefined, unreadable, requestId);
  }
  const fail = (error: AwsError) => renderError(route, error, requestId);

  if (!auth) {
    return fail(
      route?.protocol === 'query'
        ? new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403)
        : new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403),
    );
  }
  if (!route) {
    const served = [...new Set(SERVICES.map((s) => s.signingName))].join(', ');
    const known = SERVICES.filter((s) => s.signingName === auth.service);
    if (known.length === 0) {
      return fail(
        new AwsError(
          'NotImplementedException',
          `The lab sandbox does not serve the service '${auth.service}'. It serves: ${served}.`,
          501,
        ),
      );
    }
    // A REST service names operations by path: an unmatched one is most likely real and not
    // emulated. Services that share a signing name (bedrock, bedrock-runtime) are told apart by
    // the first segment of the paths they serve.
    const segment = (path: string) => path.split('/')[1];
    const rest = known.filter((s) => s.rest);
    const owners = rest.filter((s) => s.rest!.routes.some((r) => segment(r.path) === segment(req.path)));
    // The RPC v2 CBOR spec claims only POSTs that carry its header: say so rather than guess.
    const cborWithoutHeader =
      known.some((s) => s.cbor) && unclaimedRpcV2Cbor(req)
        ? ': a Smithy RPC v2 CBOR request must be a POST with the header smithy-protocol: rpc-v2-cbor'
        : '';
    return fail(
      rest.length
        ? new AwsError(
            'NotImplementedException',
            `The lab sandbox does not implement ${req.method} ${req.path} of ${(owners.length ? owners : rest).map((s) => `'${s.name}'`).join(' or ')}.`,
            501,
          )
        : new AwsError(
            'UnknownOperationException',
            `The request does not name an operation of '${auth.service}'${cborWithoutHeader}.`,
            400,
          ),
    );
  }

  const caller = await authenticate(world, req, auth, route);
  if (caller instanceof AwsError) return fail(caller);

  const ctx: RequestContext = {
    world,
    service: route.service,
    caller,
    accountId: caller.accountId,
    region: auth.region,
    requestId,
  };
  return invoke(ctx, route.operation, route.decode, route.protocol === 'query' ? 'query' : 'json', {
    output: (output) => renderOutput(route!, output, requestId),
    error: fail,
  });
}

/**
 * One authenticated call, from the API or the console alike: the latency profile's wait, the
 * input decoded and checked, authorization, an injected fault if one is due, the operation, and
 * the audit log. `render` writes the answer in the caller's protocol.
 */
export async function invoke(
  ctx: RequestContext,
  operation: string,
  decode: () => Record<string, unknown>,
  faultProtocol: 'json' | 'query',
  render: { output: (output: unknown) => SandboxResponse; error: (error: AwsError) => SandboxResponse },
): Promise<SandboxResponse> {
  const { world, service, caller } = ctx;
  let response: SandboxResponse;
  let errorCode: string | undefined;
  try {
    await sleep(world.latency.apiMs);
    const input = decode();
    const denied = authorize(ctx, operation, input);
    if (denied) throw denied;
    const fault = world.faults.take(service.name, operation, caller.accountId, faultProtocol);
    if (fault) throw fault;
    response = render.output(await runOperation(ctx, operation, input));
  } catch (error) {
    if (!(error instanceof AwsError)) console.error(`[sandbox] ${service.name}:${operation} failed:`, error);
    const failure =
      error instanceof AwsError
        ? error
        : new AwsError(
            'InternalFailure',
            'The request processing has failed because of an unknown error.',
            500,
          );
    errorCode = failure.code;
    response = render.error(failure);
  }
  world.audit.record({
    time: new Date().toISOString(),
    requestId: ctx.requestId,
    accountId: caller.accountId,
    region: ctx.region,
    service: service.name,
    operation,
    caller: caller.arn,
    readOnly: service.readOnly.has(operation),
    status: response.status,
    errorCode,
  });
  return response;
}

/**
 * A decoded input as handlers and authorization may trust it: a JSON body's members have the
 * types the SDK's model gives them, and every member keeps AWS's constraints for it (required,
 * lengths, ranges, patterns, enums: protocols/input-constraints.ts). `text` holds the members
 * that arrive as text: a Query-protocol form, REST path labels, query strings and headers.
 */
export function shaped(
  service: ServiceDefinition,
  operation: string,
  body: Record<string, unknown>,
  text: Record<string, unknown> = {},
): Record<string, unknown> {
  const typed = withoutNulls(body);
  checkInputShape(service.model?.[`${operation}$`], typed);
  const input = { ...typed, ...text };
  checkInputConstraints(service.name, operation, input);
  return input;
}

function resolve(req: SandboxRequest, signingName: string | undefined): Route | undefined {
  const candidates = signingName ? SERVICES.filter((s) => s.signingName === signingName) : SERVICES;
  for (const service of candidates) {
    // Before JSON: a request claiming RPC v2 CBOR that also names an X-Amz-Target is malformed.
    if (service.cbor) {
      const operation = rpcV2CborOperationName(req, service.cbor.serviceId);
      if (operation) {
        return {
          service,
          protocol: 'cbor',
          operation,
          decode: () => shaped(service, operation, decodeCborBody(req)),
        };
      }
    }
    if (service.json) {
      const operation = jsonOperationName(req, service.json.targetPrefix);
      if (operation) {
        return {
          service,
          protocol: 'json',
          operation,
          decode: () => shaped(service, operation, decodeJsonBody(req)),
        };
      }
    }
    if (service.rest) {
      const match = matchRoute(service.rest.routes, req);
      const route = service.rest.routes.find((r) => r.operation === match?.operation);
      if (match && route) {
        const decode =
          route.payload === 'blob'
            ? () =>
                shaped(
                  service,
                  match.operation,
                  {},
                  {
                    ...match.labels,
                    body: req.body,
                    contentType: header(req, 'content-type'),
                    accept: header(req, 'accept'),
                  },
                )
            : // Query-string members (ListFoundationModels' filters) join the body and labels.
              () =>
                shaped(service, match.operation, req.body.length ? decodeJsonBody(req) : {}, {
                  ...Object.fromEntries(req.query),
                  ...match.labels,
                });
        return { service, protocol: 'rest', operation: match.operation, decode };
      }
    }
  }
  // The Query protocol names the operation in the form; only a signed request says which service.
  const querying = signingName ? candidates.find((s) => s.query) : undefined;
  if (querying) {
    const params = queryParams(req);
    const action = params.get('Action');
    if (action)
      return {
        service: querying,
        protocol: 'query',
        operation: action,
        decode: () => shaped(querying, action, {}, decodeQueryInput(params)),
      };
  }
  return undefined;
}

async function authenticate(
  world: World,
  req: SandboxRequest,
  auth: NonNullable<ReturnType<typeof parseAuthorization>>,
  route: Route,
): Promise<Caller | AwsError> {
  const query = route.protocol === 'query';
  const found = world.credentials.lookup(auth.accessKeyId, new Date());
  if (!found.ok) {
    if (found.reason === 'expired') {
      return new AwsError(
        query ? 'ExpiredToken' : 'ExpiredTokenException',
        'The security token included in the request is expired',
        query ? 400 : 403,
      );
    }
    return invalidToken(query);
  }
  const token = header(req, 'x-amz-security-token');
  if (found.sessionToken !== token) {
    return invalidToken(query);
  }
  const skew = clockSkewProblem(req);
  if (skew !== undefined) {
    return query
      ? new AwsError('SignatureDoesNotMatch', skew, 403)
      : new AwsError('InvalidSignatureException', skew, 403);
  }
  if (!(await signatureMatches(req, auth, found.secretAccessKey, token))) {
    const message =
      'The request signature we calculated does not match the signature you provided. ' +
      'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
    return query
      ? new AwsError('SignatureDoesNotMatch', message, 403)
      : new AwsError('InvalidSignatureException', message, 403);
  }
  return found.caller;
}

function invalidToken(query: boolean): AwsError {
  const message = 'The security token included in the request is invalid.';
  return new AwsError(query ? 'InvalidClientTokenId' : 'UnrecognizedClientException', message, 403);
}

function renderOutput(route: Route, output: unknown, requestId: string): SandboxResponse {
  const { service } = route;
  if (route.protocol === 'json') return jsonResponse(output, service.json!.version, requestId);
  if (route.protocol === 'cbor') {
    return rpcV2CborResponse(output, service.model?.[`${route.operation}$`], requestId);
  }
  if (route.protocol === 'query') {
    return queryResponse(
      route.operation,
      (output ?? {}) as Record<string, unknown>,
      xmlns(service),
      requestId,
    );
  }
  if (output instanceof RawResponse) {
    return { status: 200, headers: { 'x-amzn-requestid': requestId, ...output.headers }, body: output.body };
  }
  return restJsonResponse(output, requestId);
}

function renderError(route: Route | undefined, error: AwsError, requestId: string): SandboxResponse {
  if (!route) return jsonError(error, '1.1', requestId);
  const { service } = route;
  if (route.protocol === 'json') {
    return jsonError(error, service.json!.version, requestId, service.json!.queryCompatible);
  }
  if (route.protocol === 'query') return queryError(error, xmlns(service), requestId);
  if (route.protocol === 'cbor') {
    const { serviceId, queryCompatible } = service.cbor!;
    return rpcV2CborError(error, serviceId, service.model, requestId, queryCompatible);
  }
  return restJsonError(error, requestId);
}

function xmlns(service: ServiceDefinition): string {
  if (!service.query) throw new Error(`internal error: ${service.name} has no Query protocol settings`);
  return service.query.xmlNamespace;
}
