import { encodeJson } from './aws-json';
import type { AwsError } from './errors';
import type { SandboxRequest, SandboxResponse } from './http';

/**
 * REST-JSON (Bedrock): the operation is the method plus a path template, labels in the path.
 * The SDK percent-encodes labels (`:` becomes `%3A`), so labels are decoded here.
 */
export interface RestRoute {
  method: string;
  /** e.g. `/model/{modelId}/invoke` */
  path: string;
  operation: string;
}

export interface RestMatch {
  operation: string;
  labels: Record<string, string>;
}

export function matchRoute(routes: readonly RestRoute[], req: SandboxRequest): RestMatch | undefined {
  const segments = req.rawPath.split('/');
  for (const route of routes) {
    if (route.method !== req.method) continue;
    const template = route.path.split('/');
    if (template.length !== segments.length) continue;
    const labels: Record<string, string> = {};
    const matches = template.every((part, i) => {
      const segment = segments[i]!;
      const label = /^\{(\w+)\}$/.exec(part)?.[1];
      if (label) {
        labels[label] = decodeURIComponent(segment);
        return segment.length > 0;
      }
      return part === segment;
    });
    if (matches) return { operation: route.operation, labels };
  }
  return undefined;
}

/** Dates go out as ISO 8601 strings, REST-JSON's default timestamp format. */
export function restJsonResponse(output: unknown, requestId: string): SandboxResponse {
  const body = JSON.stringify(output ?? {}, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.toISOString() : v;
  });
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
    body,
  };
}

export function restJsonError(error: AwsError, requestId: string): SandboxResponse {
  return {
    status: error.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': error.code,
    },
    body: encodeJson({ message: error.message, ...error.fields }),
  };
}
