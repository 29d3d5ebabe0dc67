import type { Caller } from '../auth/credentials';
import type { AwsError } from '../protocols/errors';
import type { RequestContext, ServiceDefinition } from '../service';

/** Who asks to assume a role: an AWS principal (a caller) or a service such as bedrock.amazonaws.com. */
export type AssumingPrincipal = { arn: string; accountId: string } | { service: string };

/** Request context keys a trust policy may test. */
export interface AssumeContext {
  externalId?: string;
  sourceAccount?: string;
  sourceArn?: string;
}

/** IAM state of one account (IAM is global). STUB: being written. */
export class IamBackend {
  constructor(readonly accountId: string) {}

  /** Undefined when the caller may call the operation; else AWS's AccessDenied error for its protocol. */
  authorize(
    _caller: Caller,
    _service: ServiceDefinition,
    _operation: string,
    _input: Record<string, unknown>,
    _ctx: RequestContext,
  ): AwsError | undefined {
    return undefined;
  }

  /** Does the role exist and does its trust policy let this principal assume it? */
  canAssume(_roleArn: string, _principal: AssumingPrincipal, _context: AssumeContext): boolean {
    return false;
  }

  /** Do the role's identity policies allow `action` on `resource`? */
  roleAllows(_roleArn: string, _action: string, _resource: string): boolean {
    return false;
  }

  hasRole(_roleArn: string): boolean {
    return false;
  }
}
