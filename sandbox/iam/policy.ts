import { runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

/**
 * IAM policy evaluation, delegated to @cloud-copilot/iam-simulate (a maintained evaluator of
 * every condition operator, wildcard and principal form). We use its synchronous
 * `runUnsafeSimulation` because authorization runs inside every request and the backend's API is
 * synchronous. Its own validation is asynchronous, so documents are checked here instead
 * (`policyProblem` / `trustProblem`, with AWS's texts) when stored and again, cached, when judged.
 * Session policies are judged on their own, as identity policies, and intersected by the caller:
 * the unsafe entry point ignores its `sessionPolicy` input.
 */

export type Decision = 'allow' | 'implicit-deny' | 'explicit-deny';

/** A policy document with a name for reporting (SimulatePrincipalPolicy's SourcePolicyId). */
export interface NamedPolicy {
  name: string;
  document: string;
}

export interface EvaluationRequest {
  /** The principal's ARN (a session ARN, a role ARN, an account root) or a service principal. */
  principal: string;
  action: string;
  resource: string;
  /** The resource's account: the simulator compares it with the principal's. */
  accountId: string;
  context?: Record<string, string | string[]>;
}

type Document = Record<string, unknown>;

/** A document too broken to judge (only session policies reach here unchecked) grants nothing. */
const EMPTY: Document = { Version: '2012-10-17', Statement: [] };

/** Parsed documents by their text: the same few documents are evaluated on every request. */
const parsed = new Map<string, Document>();
const CACHE_LIMIT = 2000;

function parse(text: string, kind: 'identity' | 'trust' = 'identity'): Document {
  const key = `${kind}:${text}`;
  let doc = parsed.get(key);
  if (!doc) {
    if (parsed.size >= CACHE_LIMIT) parsed.clear();
    doc = documentProblem(text, kind) ? EMPTY : (JSON.parse(text) as Document);
    parsed.set(key, doc);
  }
  return doc;
}

function decisionOf(result: string): Decision {
  return result === 'Allowed' ? 'allow' : result === 'ExplicitlyDenied' ? 'explicit-deny' : 'implicit-deny';
}

function simulation(request: EvaluationRequest, identity: readonly Document[]): Simulation {
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.accountId },
      contextVariables: request.context ?? {},
    },
    identityPolicies: identity.map((policy, i) => ({ name: String(i), policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
}

/** The decision of identity-based policies alone (no resource policy, no SCPs). */
export function evaluate(policies: readonly NamedPolicy[], request: EvaluationRequest): Decision {
  if (policies.length === 0) return 'implicit-deny';
  return decisionOf(
    runUnsafeSimulation(
      simulation(
        request,
        policies.map((p) => parse(p.document)),
      ),
      {},
    ),
  );
}

/** Lets any identity do the action: the caller's own permissions are checked by `authorize`. */
const ALLOW_ALL: Document = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/**
 * Does a role's trust policy let `request.principal` assume it? Only the trust policy is judged:
 * an AWS principal's own identity policies are checked when its request is authorized.
 */
export function trusts(trustDocument: string, request: EvaluationRequest): boolean {
  return trustDecision(trustDocument, request) === 'allow';
}

/** The trust policy's decision for `request`: an explicit deny told apart from no allow. */
export function trustDecision(trustDocument: string, request: EvaluationRequest): Decision {
  const service = !request.principal.startsWith('arn:');
  const sim = simulation(request, service ? [] : [ALLOW_ALL]);
  // A plain-value "validated policy" carries the name the simulator reports; without one its
  // resource-policy analysis fails on the missing metadata.
  sim.resourcePolicy = {
    __validated: true,
    policyDocument: parse(trustDocument, 'trust'),
    metadata: { name: 'trust' },
    errors: [],
  };
  return decisionOf(runUnsafeSimulation(sim, {}));
}

export interface MatchedStatement<P extends NamedPolicy> {
  policy: P;
  /** Lines and columns (1-based) of the statement in the document text. */
  start: { Line: number; Column: number };
  end: { Line: number; Column: number };
}

/**
 * The overall decision and the statements that decided it (the Allow statements that matched for
 * an allow, the Deny statements for an explicit deny), as SimulatePrincipalPolicy reports them.
 * Each statement is judged alone, so this costs one evaluation per statement: only for Simulate.
 */
export function explain<P extends NamedPolicy>(
  policies: readonly P[],
  request: EvaluationRequest,
): { decision: Decision; matched: MatchedStatement<P>[] } {
  const decision = evaluate(policies, request);
  if (decision === 'implicit-deny') return { decision, matched: [] };
  const wanted = decision === 'allow' ? 'allow' : 'explicit-deny';
  const matched: MatchedStatement<P>[] = [];
  for (const policy of policies) {
    const doc = parse(policy.document);
    const statements = ([] as unknown[]).concat(doc.Statement ?? []);
    const spans = statementSpans(policy.document);
    statements.forEach((statement, i) => {
      const alone = { ...doc, Statement: [statement] };
      const one = decisionOf(runUnsafeSimulation(simulation(request, [alone]), {}));
      const span = spans[i];
      if (one === wanted && span) matched.push({ policy, ...span });
    });
  }
  return { decision, matched };
}

type Position = { Line: number; Column: number };

/** Where each statement object starts and ends in the document's text. */
function statementSpans(text: string): { start: Position; end: Position }[] {
  const spans: { start: Position; end: Position }[] = [];
  let line = 1;
  let column = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let stringStart = 0;
  let lastString = '';
  let key: string | undefined;
  /** Depth at which statement objects open: 3 inside `"Statement": [...]`, 2 for a lone object. */
  let statementDepth = -1;
  let open: Position | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') {
        inString = false;
        lastString = text.slice(stringStart, i);
      }
    } else if (c === '"') {
      inString = true;
      stringStart = i + 1;
    } else if (c === ':' && depth === 1) {
      key = lastString;
    } else if (c === ',' && depth === 1) {
      key = undefined;
    } else if (c === '{' || c === '[') {
      depth++;
      if (depth === 2 && key === 'Statement') statementDepth = c === '[' ? 3 : 2;
      if (depth === statementDepth && c === '{') open = { Line: line, Column: column };
    } else if (c === '}' || c === ']') {
      if (depth === statementDepth && c === '}' && open) {
        spans.push({ start: open, end: { Line: line, Column: column + 1 } });
        open = undefined;
      }
      if (depth === 2) statementDepth = -1;
      depth--;
    }
    if (c === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return spans;
}

/** AWS's MalformedPolicyDocument texts for identity policies; undefined when the document is sound. */
export function policyProblem(text: string): string | undefined {
  return documentProblem(text, 'identity');
}

/** AWS's MalformedPolicyDocument texts for role trust policies. */
export function trustProblem(text: string): string | undefined {
  return documentProblem(text, 'trust');
}

const STRINGS = (v: unknown) =>
  typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

function documentProblem(text: string, kind: 'identity' | 'trust'): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'This policy contains invalid Json';
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'Syntax errors in policy.';
  const { Version, Statement } = doc as Document;
  if (Version !== undefined && Version !== '2012-10-17' && Version !== '2008-10-17') {
    return 'The policy failed legacy parsing';
  }
  if (Statement === undefined) return 'Syntax errors in policy.';
  const statements = ([] as unknown[]).concat(Statement);
  for (const s of statements) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) return 'Syntax errors in policy.';
    const st = s as Document;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') return 'Syntax errors in policy.';
    if (st.Action === undefined && st.NotAction === undefined)
      return 'Policy statement must contain actions.';
    if (![st.Action, st.NotAction].every((v) => v === undefined || STRINGS(v))) {
      return 'Syntax errors in policy.';
    }
    if (kind === 'identity') {
      if (st.Principal !== undefined || st.NotPrincipal !== undefined) {
        return 'Policy document should not specify a principal.';
      }
      if (st.Resource === undefined && st.NotResource === undefined) {
        return 'Policy statement must contain resources.';
      }
      if (![st.Resource, st.NotResource].every((v) => v === undefined || STRINGS(v))) {
        return 'Syntax errors in policy.';
      }
    } else {
      if (st.Resource !== undefined) return 'Has prohibited field Resource';
      if (st.Principal === undefined && st.NotPrincipal === undefined)
        return 'Missing required field Principal';
    }
    if (st.Condition !== undefined && (typeof st.Condition !== 'object' || Array.isArray(st.Condition))) {
      return 'Syntax errors in policy.';
    }
  }
  return undefined;
}
