/**
 * The session-shaping members of an AssumeRole request — DurationSeconds,
 * SourceIdentity, Tags, TransitiveTagKeys — validated as STS validates them,
 * and the trust-policy check that decides whether the caller may assume the
 * role with them.
 *
 * STS reports constraint violations together, in one ValidationError:
 * `2 validation errors detected: Value '...' at 'durationSeconds' failed to
 * satisfy constraint: ...; Value ...`. Duplicate tag keys (compared without
 * case) are an InvalidParameterValue.
 *
 * The query protocol flattens lists: `Tags.member.1.Key`, `Tags.member.1.Value`,
 * `TransitiveTagKeys.member.1`; STS's JSON protocol sends arrays.
 */
import { evaluate, principalsOf, type PolicyDocument, type RequestContext } from './iamPolicy';
import { sessionOf, type Caller, type SessionTag } from './identity';
import type { Input } from './input';
import { AwsError } from './wire';

export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43200;
export const MAX_SESSION_TAGS = 50;

const SOURCE_IDENTITY_RE = /^[\w+=,.@-]*$/;
const TAG_KEY_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export interface SessionRequest {
  /** Undefined when the request gives none. */
  durationSeconds?: number;
  sourceIdentity?: string;
  tags: SessionTag[];
  transitiveTagKeys: string[];
}

function formList(input: Input, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; input[`${prefix}.member.${i}`] !== undefined; i++) out.push(String(input[`${prefix}.member.${i}`]));
  return out;
}

function readTags(input: Input): Array<{ key: string; value: string }> {
  if (Array.isArray(input.Tags)) {
    return (input.Tags as Array<{ Key?: unknown; Value?: unknown }>).map(t => ({ key: String(t?.Key ?? ''), value: String(t?.Value ?? '') }));
  }
  const out: Array<{ key: string; value: string }> = [];
  for (let i = 1; input[`Tags.member.${i}.Key`] !== undefined; i++) {
    out.push({ key: String(input[`Tags.member.${i}.Key`]), value: String(input[`Tags.member.${i}.Value`] ?? '') });
  }
  return out;
}

function readTransitive(input: Input): string[] {
  if (Array.isArray(input.TransitiveTagKeys)) return (input.TransitiveTagKeys as unknown[]).map(String);
  return formList(input, 'TransitiveTagKeys');
}

/** Java's rendering of a list in STS's messages. */
function listText(values: string[]): string {
  return `[${values.join(', ')}]`;
}

export function readSessionRequest(input: Input): SessionRequest {
  const problems: string[] = [];
  const violation = (value: string, member: string, constraint: string) =>
    problems.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must ${constraint}`);

  let durationSeconds: number | undefined;
  const rawDuration = input.DurationSeconds;
  if (rawDuration !== undefined && rawDuration !== null && rawDuration !== '') {
    const n = Number(rawDuration);
    if (!Number.isInteger(n)) throw new AwsError('ValidationError', `Invalid value for DurationSeconds: ${String(rawDuration)}`, 400);
    durationSeconds = n;
    if (n < MIN_DURATION_SECONDS) violation(String(n), 'durationSeconds', `have value greater than or equal to ${MIN_DURATION_SECONDS}`);
    else if (n > MAX_DURATION_SECONDS) violation(String(n), 'durationSeconds', `have value less than or equal to ${MAX_DURATION_SECONDS}`);
  }

  const rawSource = input.SourceIdentity;
  const sourceIdentity = rawSource === undefined || rawSource === null ? undefined : String(rawSource);
  if (sourceIdentity !== undefined) {
    if (sourceIdentity.length < 2) violation(sourceIdentity, 'sourceIdentity', 'have length greater than or equal to 2');
    else if (sourceIdentity.length > 64) violation(sourceIdentity, 'sourceIdentity', 'have length less than or equal to 64');
    if (!SOURCE_IDENTITY_RE.test(sourceIdentity)) violation(sourceIdentity, 'sourceIdentity', 'satisfy regular expression pattern: [\\w+=,.@-]*');
  }

  const tags = readTags(input);
  if (tags.length > MAX_SESSION_TAGS) violation(listText(tags.map(t => `Tag(Key=${t.key}, Value=${t.value})`)), 'tags', `have length less than or equal to ${MAX_SESSION_TAGS}`);
  tags.forEach((t, i) => {
    const at = `tags.${i + 1}.member`;
    if (t.key.length < 1) violation(t.key, `${at}.key`, 'have length greater than or equal to 1');
    else if (t.key.length > 128) violation(t.key, `${at}.key`, 'have length less than or equal to 128');
    if (t.key.length > 0 && !TAG_KEY_RE.test(t.key)) violation(t.key, `${at}.key`, 'satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    if (t.value.length > 256) violation(t.value, `${at}.value`, 'have length less than or equal to 256');
    if (!TAG_VALUE_RE.test(t.value)) violation(t.value, `${at}.value`, 'satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
  });

  const transitiveTagKeys = readTransitive(input);
  if (transitiveTagKeys.length > MAX_SESSION_TAGS) violation(listText(transitiveTagKeys), 'transitiveTagKeys', `have length less than or equal to ${MAX_SESSION_TAGS}`);

  if (problems.length > 0) {
    const count = `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected`;
    throw new AwsError('ValidationError', `${count}: ${problems.join('; ')}`, 400);
  }
  const seen = new Set<string>();
  for (const t of tags) {
    const k = t.key.toLowerCase();
    if (seen.has(k)) throw new AwsError('InvalidParameterValue', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.', 400);
    seen.add(k);
  }
  return { durationSeconds, sourceIdentity, tags, transitiveTagKeys };
}

/**
 * The session a chained AssumeRole creates: the caller's source identity and
 * transitive tags carry over (STS does not let a chain drop or change them).
 */
export function chainedSession(caller: Caller, request: SessionRequest): SessionRequest & { inheritedTagKeys: string[] } {
  const from = sessionOf(caller);
  if (!from) return { ...request, inheritedTagKeys: [] };
  if (from.sourceIdentity !== undefined && request.sourceIdentity !== undefined && request.sourceIdentity !== from.sourceIdentity) {
    throw new AwsError('AccessDenied', `User: ${caller.arn} is not authorized to change the source identity of its session`, 403);
  }
  const inherited = from.tags.filter(t => from.transitiveTagKeys.some(k => k.toLowerCase() === t.key.toLowerCase()));
  const given = new Set(request.tags.map(t => t.key.toLowerCase()));
  for (const t of inherited) {
    if (given.has(t.key.toLowerCase())) {
      throw new AwsError('InvalidParameterValue', `One or more of the specified transitive tag keys can't be set because they conflict with a transitive tag key from the calling session.`, 400);
    }
  }
  return {
    ...request,
    sourceIdentity: request.sourceIdentity ?? from.sourceIdentity,
    tags: [...inherited, ...request.tags],
    transitiveTagKeys: [...inherited.map(t => t.key), ...request.transitiveTagKeys],
    inheritedTagKeys: inherited.map(t => t.key),
  };
}

/** The request context a trust policy's conditions see. */
export function trustContext(caller: Caller, request: SessionRequest, extra: { roleSessionName: string; externalId?: string }): RequestContext {
  const from = sessionOf(caller);
  const context: Record<string, string | string[] | undefined> = {
    'aws:PrincipalArn': from ? from.roleArn : caller.arn,
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalType': from ? 'AssumedRole' : 'User',
    'aws:userid': caller.userId,
    'aws:SourceIdentity': from?.sourceIdentity,
    'sts:SourceIdentity': request.sourceIdentity,
    'sts:RoleSessionName': extra.roleSessionName,
    'sts:ExternalId': extra.externalId,
    'sts:TransitiveTagKeys': request.transitiveTagKeys.length > 0 ? request.transitiveTagKeys : undefined,
    'aws:TagKeys': request.tags.length > 0 ? request.tags.map(t => t.key) : undefined,
  };
  for (const t of request.tags) context[`aws:RequestTag/${t.key}`] = t.value;
  for (const t of from?.tags ?? []) context[`aws:PrincipalTag/${t.key}`] = t.value;
  return context;
}

/**
 * The first action of the AssumeRole the trust policy does not allow, or
 * undefined when it allows them all: `sts:AssumeRole`, plus
 * `sts:SetSourceIdentity` for a source identity and `sts:TagSession` for tags.
 */
export function refusedByTrust(trustPolicy: PolicyDocument, roleArn: string, caller: Caller, request: SessionRequest, context: RequestContext): string | undefined {
  const actions = ['sts:AssumeRole'];
  if (request.sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  if (request.tags.length > 0 || request.transitiveTagKeys.length > 0) actions.push('sts:TagSession');
  const from = sessionOf(caller);
  const principals = principalsOf({ arn: caller.arn, accountId: caller.accountId, roleArn: from?.roleArn });
  return actions.find(action => evaluate([trustPolicy], { action, resource: roleArn, context, principals }) !== 'allow');
}
