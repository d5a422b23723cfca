/**
 * IAM policy evaluation as far as the emulator needs it: identity policies of
 * a role's sessions and a role's trust policy. The grammar is the one the
 * product writes (its `src/access/policyDocument.ts`, copied because tooling
 * must not import the product), plus `Principal` for trust policies.
 *
 * Rules followed (IAM User Guide, "Policy evaluation logic" and "IAM JSON
 * policy elements: Condition operators"):
 *  - an explicit Deny wins, then any Allow, else the request is implicitly denied;
 *  - Action and NotAction match case-insensitively with `*` and `?`;
 *    Resource and NotResource case-sensitively with `*` and `?`;
 *  - condition key names are case-insensitive, values per operator; every
 *    operator of a Condition block and every key under it must match (AND),
 *    any of a key's values may match (OR);
 *  - a key missing from the request fails a positive operator and satisfies a
 *    negated one (`StringNotEquals`, `ArnNotLike`, ...), `...IfExists` is
 *    satisfied by a missing key, `ForAllValues:` by an empty set and
 *    `ForAnyValue:` never by one;
 *  - an operator IAM does not know never matches, so its statement does not apply.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  /** Trust policies only: who may call. */
  Principal?: '*' | { AWS?: string | string[]; Service?: string | string[]; Federated?: string | string[] };
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version: '2012-10-17' | '2008-10-17';
  Statement: PolicyStatement[];
}

/** Request context values by key; keys are matched case-insensitively. */
export type RequestContext = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface AuthorizationRequest {
  /** `service:Action`. */
  action: string;
  resource: string;
  context: RequestContext;
  /** For trust policies: the principals the caller counts as (ARNs and account ids). */
  principals?: readonly string[];
}

export type Decision = 'allow' | 'explicitDeny' | 'implicitDeny';

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const globCache = new Map<string, RegExp>();

/** IAM's wildcards: `*` any run of characters, `?` one character; nothing else is special. */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const cacheKey = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = globCache.get(cacheKey);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    if (globCache.size > 5000) globCache.clear();
    globCache.set(cacheKey, re);
  }
  return re.test(value);
}

/**
 * ArnLike / ArnEquals: the six colon-separated parts are compared one by one,
 * so a wildcard never reaches across a colon into the next part.
 */
export function arnMatches(pattern: string, value: string): boolean {
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (!p || !v) return false;
  return p.every((part, i) => globMatches(part, v[i] as string));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function contextValues(context: RequestContext, key: string): string[] | undefined {
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(context)) {
    if (k.toLowerCase() === wanted) return v === undefined ? undefined : typeof v === 'string' ? [v] : [...v];
  }
  return undefined;
}

type ValueTest = (conditionValue: string, requestValue: string) => boolean;

const BASE_OPERATORS: Record<string, { test: ValueTest; negated: boolean }> = {
  stringequals: { test: (c, v) => c === v, negated: false },
  stringnotequals: { test: (c, v) => c === v, negated: true },
  stringequalsignorecase: { test: (c, v) => c.toLowerCase() === v.toLowerCase(), negated: false },
  stringnotequalsignorecase: { test: (c, v) => c.toLowerCase() === v.toLowerCase(), negated: true },
  stringlike: { test: (c, v) => globMatches(c, v), negated: false },
  stringnotlike: { test: (c, v) => globMatches(c, v), negated: true },
  arnequals: { test: arnMatches, negated: false },
  arnlike: { test: arnMatches, negated: false },
  arnnotequals: { test: arnMatches, negated: true },
  arnnotlike: { test: arnMatches, negated: true },
  bool: { test: (c, v) => c.toLowerCase() === v.toLowerCase(), negated: false },
};

/** Replaces `${key}` policy variables with the request's value; an unknown one matches nothing. */
function substitute(value: string, context: RequestContext): string | undefined {
  if (!value.includes('${')) return value;
  let unresolved = false;
  const out = value.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name === '*' || name === '?' || name === '$') return name;
    const values = contextValues(context, name);
    if (!values || values.length !== 1) {
      unresolved = true;
      return '';
    }
    return values[0] as string;
  });
  return unresolved ? undefined : out;
}

/** One `"Operator": { key: values }` entry of a Condition block. */
export function conditionMatches(operator: string, key: string, rawValues: string | string[] | boolean, context: RequestContext): boolean {
  let op = operator.toLowerCase();
  let set: 'all' | 'any' | undefined;
  if (op.startsWith('forallvalues:')) {
    set = 'all';
    op = op.slice('forallvalues:'.length);
  } else if (op.startsWith('foranyvalue:')) {
    set = 'any';
    op = op.slice('foranyvalue:'.length);
  }
  const ifExists = op.endsWith('ifexists');
  if (ifExists) op = op.slice(0, -'ifexists'.length);
  const conditionValues = asList(rawValues).map(v => String(v));
  const requestValues = contextValues(context, key);

  if (op === 'null') {
    if (set !== undefined || ifExists) return false;
    const absent = requestValues === undefined || requestValues.length === 0;
    return conditionValues.some(c => (c.toLowerCase() === 'true' ? absent : c.toLowerCase() === 'false' ? !absent : false));
  }
  const base = BASE_OPERATORS[op];
  if (!base) return false;
  const patterns = conditionValues.map(c => substitute(c, context)).filter((c): c is string => c !== undefined);
  const anyMatch = (v: string) => patterns.some(c => base.test(c, v));
  const holds = (v: string) => (base.negated ? !anyMatch(v) : anyMatch(v));

  if (requestValues === undefined || requestValues.length === 0) {
    if (set === 'all') return true;
    if (set === 'any') return false;
    return ifExists || base.negated;
  }
  if (set === 'all') return requestValues.every(holds);
  if (set === 'any') return requestValues.some(holds);
  return base.negated ? requestValues.every(holds) : requestValues.some(holds);
}

function conditionsMatch(condition: PolicyStatement['Condition'], context: RequestContext): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, keys]) =>
    Object.entries(keys ?? {}).every(([key, values]) => conditionMatches(operator, key, values, context)),
  );
}

function actionMatches(s: PolicyStatement, action: string): boolean {
  if (s.Action !== undefined) return asList(s.Action).some(a => globMatches(a, action, true));
  if (s.NotAction !== undefined) return !asList(s.NotAction).some(a => globMatches(a, action, true));
  return false;
}

function resourceMatches(s: PolicyStatement, resource: string, context: RequestContext): boolean {
  const matches = (patterns: string[]) =>
    patterns.some(p => {
      const pattern = substitute(p, context);
      return pattern !== undefined && globMatches(pattern, resource);
    });
  if (s.Resource !== undefined) return matches(asList(s.Resource));
  if (s.NotResource !== undefined) return !matches(asList(s.NotResource));
  // Trust policies name no resource: the role itself is meant.
  return true;
}

function principalMatches(s: PolicyStatement, principals: readonly string[] | undefined): boolean {
  if (principals === undefined) return s.Principal === undefined;
  if (s.Principal === undefined) return false;
  if (s.Principal === '*') return true;
  return asList(s.Principal.AWS).some(p => p === '*' || principals.includes(p));
}

export function statementApplies(s: PolicyStatement, request: AuthorizationRequest): boolean {
  return (
    principalMatches(s, request.principals) &&
    actionMatches(s, request.action) &&
    resourceMatches(s, request.resource, request.context) &&
    conditionsMatch(s.Condition, request.context)
  );
}

export function evaluate(documents: readonly PolicyDocument[], request: AuthorizationRequest): Decision {
  let allowed = false;
  for (const doc of documents) {
    for (const s of doc.Statement ?? []) {
      if (!statementApplies(s, request)) continue;
      if (s.Effect === 'Deny') return 'explicitDeny';
      if (s.Effect === 'Allow') allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicitDeny';
}

/**
 * The principals a caller counts as in a trust policy's `Principal.AWS`: its
 * own ARN (an assumed-role session also as its role's ARN), its account's
 * root ARN and the bare account id.
 */
export function principalsOf(caller: { arn: string; accountId: string; roleArn?: string }): string[] {
  const out = [caller.arn, `arn:aws:iam::${caller.accountId}:root`, caller.accountId];
  if (caller.roleArn !== undefined) out.push(caller.roleArn);
  return out;
}
