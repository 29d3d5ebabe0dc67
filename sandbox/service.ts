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
  /** What IAM judges a request by; without it, the operation's own action on `*`. */
  access?: ServiceAccess;
}

/**
 * How IAM sees a service's requests: the action (`<actionPrefix>:<Operation>` unless named
 * here), the resources a request touches, the permission-only actions it also needs, and the
 * condition keys it sets itself. Each service states its own.
 */
export interface ServiceAccess {
  /** Operations authorized under another action's name: Converse is `bedrock:InvokeModel`. */
  actionOf?: Readonly<Record<string, string>>;
  /** The ARNs the request touches, as AWS names them in its AccessDenied texts. */
  resources(operation: string, input: Record<string, unknown>, scope: ResourceScope): string[];
  /** Actions the request needs besides its own, judged on the same resources (`sts:TagSession`). */
  dependentActions?(operation: string, input: Record<string, unknown>): string[];
  /** Condition keys the request sets (`aws:RequestTag/<key>`, `iam:PermissionsBoundary`). */
  requestContext?(operation: string, input: Record<string, unknown>): Record<string, string | string[]>;
}

export interface ResourceScope {
  accountId: string;
  region: string;
  /** `arn:aws:iam::<acct>:role/<path><name>` for a role name, if the role exists. */
  roleArn: (name: string) => string | undefined;
}

/** A member given as a non-empty text, or undefined. */
export const textMember = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The texts of a list member; none when it is no list. */
export const textMembers = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
