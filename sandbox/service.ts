import type { Caller } from './auth/credentials';
import type { RestRoute } from './protocols/rest-json';
import type { World } from './world';

/** What every operation handler is given besides its input. */
export interface RequestContext {
  world: World;
  /** The service the request is for: an operation authorizing more than its own action needs it. */
  service: ServiceDefinition;
  caller: Caller;
  /** The caller's account: all state a handler touches belongs to it. */
  accountId: string;
  region: string;
  requestId: string;
}

/**
 * An operation: the SDK's input shape in, the SDK's output shape out (without `$metadata`).
 * Handlers are typed with the SDK's own `XCommandInput`/`XCommandOutput`; `never` lets a table
 * of differently typed handlers share one type.
 */
export type Operation = (input: never, ctx: RequestContext) => unknown;

/** A response body the handler builds itself (Bedrock runtime's raw model output). */
export class RawResponse {
  constructor(
    readonly body: Buffer | string,
    readonly headers: Record<string, string> = {},
  ) {}
}

export interface RestJsonRoute extends RestRoute {
  /** `json`: the body is the JSON input; `blob`: the handler gets `{ body, contentType, accept }`. */
  payload: 'json' | 'blob';
}

export interface ServiceDefinition {
  /** Name used in the audit log and errors, e.g. `logs`, `bedrock-runtime`. */
  name: string;
  /** SigV4 credential-scope name that routes to this service. */
  signingName: string;
  /** IAM action prefix, e.g. `logs`, `cloudwatch`, `bedrock`. */
  actionPrefix: string;
  json?: { targetPrefix: string; version: '1.0' | '1.1'; queryCompatible?: boolean };
  query?: { xmlNamespace: string };
  /**
   * Smithy RPC v2 CBOR. `serviceId` is the service's absolute shape id (`namespace#Name`): its
   * name routes requests, its namespace qualifies the error shapes named in `__type`.
   */
  cbor?: { serviceId: string; queryCompatible?: boolean };
  rest?: { routes: readonly RestJsonRoute[] };
  operations: Record<string, Operation>;
  /**
   * The SDK client module of the service: its `<Operation>$` schemas check the types of every
   * JSON input before a handler or authorisation sees it (protocols/input-shape.ts).
   */
  model?: Readonly<Record<string, unknown>>;
  /** Operations that change nothing; the audit log marks the rest as mutating. */
  readOnly: ReadonlySet<string>;
}
