/**
 * A CloudTrail-like record of every call the emulator answered, successful or
 * not, in CloudTrail's event shape (the fields a trail reader looks at):
 * who called (`userIdentity`, with the role, source identity and session tags
 * of an assumed-role session), what (`eventSource`, `eventName`,
 * `requestParameters`), where, and how it ended (`errorCode`, `errorMessage`).
 * `requestID` is the `x-amzn-RequestId` the response carried.
 *
 * Never recorded: secret keys, session tokens, web identity tokens, external
 * ids. Access key ids are, as CloudTrail records them.
 *
 * Memory is bounded: a ring keeps the newest `capacity` records.
 */
import { randomUUID } from 'node:crypto';
import { hashId, sessionOf, type Caller } from './identity';
import type { Input } from './input';
import { isoSeconds } from './wire';

export const CALL_LOG_CAPACITY = 20_000;

const EVENT_SOURCES: Record<string, string> = {
  ecs: 'ecs.amazonaws.com',
  sts: 'sts.amazonaws.com',
  tagging: 'tagging.amazonaws.com',
  organizations: 'organizations.amazonaws.com',
  sqs: 'sqs.amazonaws.com',
};

export interface SessionIssuer {
  type: 'Role';
  principalId: string;
  arn: string;
  accountId: string;
  userName: string;
}

export interface UserIdentity {
  type: 'AssumedRole' | 'IAMUser' | 'Unknown';
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: {
    sessionIssuer: SessionIssuer;
    attributes: { creationDate: string; mfaAuthenticated: 'false' };
    sourceIdentity?: string;
    /** The session's tags, as `aws:PrincipalTag/<key>` sees them. */
    principalTags?: Record<string, string>;
  };
}

export interface CallRecord {
  eventVersion: '1.08';
  eventID: string;
  eventTime: string;
  eventType: 'AwsApiCall';
  eventSource: string;
  eventName: string;
  awsRegion?: string;
  recipientAccountId?: string;
  requestID: string;
  sourceIPAddress: string;
  userAgent?: string;
  readOnly: boolean;
  userIdentity: UserIdentity;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
}

export interface CallFilter {
  eventName?: string;
  eventSource?: string;
}

export function eventSourceOf(service: string): string {
  return EVENT_SOURCES[service] ?? `${service}.amazonaws.com`;
}

export function userIdentityOf(caller: Caller | undefined, accessKeyId: string | undefined): UserIdentity {
  if (!caller) return { type: 'Unknown', accessKeyId };
  const session = sessionOf(caller);
  if (!session) {
    return { type: 'IAMUser', principalId: caller.userId, arn: caller.arn, accountId: caller.accountId, accessKeyId: caller.accessKeyId, userName: caller.arn.slice(caller.arn.lastIndexOf('/') + 1) };
  }
  const principalTags = session.tags.length > 0 ? Object.fromEntries(session.tags.map(t => [t.key, t.value])) : undefined;
  return {
    type: 'AssumedRole',
    principalId: session.userId,
    arn: session.arn,
    accountId: session.accountId,
    accessKeyId: session.accessKeyId,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: `AROA${hashId(session.roleArn)}`, arn: session.roleArn, accountId: session.accountId, userName: session.roleName },
      attributes: { creationDate: isoSeconds(new Date(session.issuedAt)), mfaAuthenticated: 'false' },
      ...(session.sourceIdentity !== undefined ? { sourceIdentity: session.sourceIdentity } : {}),
      ...(principalTags ? { principalTags } : {}),
    },
  };
}

function formList(input: Input, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; input[`${prefix}.member.${i}`] !== undefined; i++) out.push(String(input[`${prefix}.member.${i}`]));
  return out;
}

/** STS members in CloudTrail's camelCase, tags as `[{key, value}]`; no token, no external id. */
function stsParameters(input: Input): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.RoleArn !== undefined) out.roleArn = input.RoleArn;
  if (input.RoleSessionName !== undefined) out.roleSessionName = input.RoleSessionName;
  if (input.DurationSeconds !== undefined) out.durationSeconds = Number(input.DurationSeconds);
  if (input.SourceIdentity !== undefined) out.sourceIdentity = input.SourceIdentity;
  let tags: Array<{ key: string; value: string }> = [];
  if (Array.isArray(input.Tags)) tags = (input.Tags as Array<{ Key?: unknown; Value?: unknown }>).map(t => ({ key: String(t?.Key), value: String(t?.Value ?? '') }));
  else for (let i = 1; input[`Tags.member.${i}.Key`] !== undefined; i++) tags.push({ key: String(input[`Tags.member.${i}.Key`]), value: String(input[`Tags.member.${i}.Value`] ?? '') });
  if (tags.length > 0) out.tags = tags;
  const transitive = Array.isArray(input.TransitiveTagKeys) ? (input.TransitiveTagKeys as unknown[]).map(String) : formList(input, 'TransitiveTagKeys');
  if (transitive.length > 0) out.transitiveTagKeys = transitive;
  return out;
}

export function requestParametersOf(service: string, input: Input): Record<string, unknown> | null {
  if (service === 'sts') {
    const params = stsParameters(input);
    return Object.keys(params).length > 0 ? params : null;
  }
  return Object.keys(input).length > 0 ? input : null;
}

/** What CloudTrail keeps of an STS answer: the key id and expiry, never the secret or token. */
export function responseElementsOf(service: string, action: string, result: unknown): Record<string, unknown> | null {
  if (service !== 'sts' || (action !== 'AssumeRole' && action !== 'AssumeRoleWithWebIdentity') || result === undefined) return null;
  const r = result as { Credentials?: { AccessKeyId?: string; Expiration?: Date }; AssumedRoleUser?: { AssumedRoleId?: string; Arn?: string }; SourceIdentity?: string };
  return {
    credentials: { accessKeyId: r.Credentials?.AccessKeyId, expiration: r.Credentials?.Expiration ? isoSeconds(r.Credentials.Expiration) : undefined },
    assumedRoleUser: { assumedRoleId: r.AssumedRoleUser?.AssumedRoleId, arn: r.AssumedRoleUser?.Arn },
    ...(r.SourceIdentity !== undefined ? { sourceIdentity: r.SourceIdentity } : {}),
  };
}

const READ_ONLY_RE = /^(Describe|List|Get)/;

export interface CallOutcome {
  service: string;
  action: string;
  requestId: string;
  region?: string;
  caller?: Caller;
  /** The access key id the request was signed with, also when it was refused. */
  accessKeyId?: string;
  userAgent?: string;
  input: Input;
  result?: unknown;
  error?: { code: string; message: string };
  /** Epoch milliseconds. */
  at: number;
}

export class CallLog {
  private readonly ring: CallRecord[] = [];
  private next = 0;

  constructor(readonly capacity = CALL_LOG_CAPACITY) {}

  record(o: CallOutcome): CallRecord {
    const rec: CallRecord = {
      eventVersion: '1.08',
      eventID: randomUUID(),
      eventTime: isoSeconds(new Date(o.at)),
      eventType: 'AwsApiCall',
      eventSource: eventSourceOf(o.service),
      eventName: o.action,
      awsRegion: o.region,
      recipientAccountId: o.caller?.accountId,
      requestID: o.requestId,
      sourceIPAddress: '127.0.0.1',
      userAgent: o.userAgent,
      readOnly: READ_ONLY_RE.test(o.action),
      userIdentity: userIdentityOf(o.caller, o.accessKeyId),
      requestParameters: requestParametersOf(o.service, o.input),
      responseElements: o.error ? null : responseElementsOf(o.service, o.action, o.result),
      ...(o.error ? { errorCode: o.error.code, errorMessage: o.error.message } : {}),
    };
    if (this.ring.length < this.capacity) this.ring.push(rec);
    else this.ring[this.next] = rec;
    this.next = (this.next + 1) % this.capacity;
    return rec;
  }

  /** Oldest first, optionally only one event name and/or source. */
  records(filter: CallFilter = {}): CallRecord[] {
    const ordered = this.ring.length < this.capacity ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return ordered.filter(r => (filter.eventName === undefined || r.eventName === filter.eventName) && (filter.eventSource === undefined || r.eventSource === filter.eventSource));
  }

  clear(): void {
    this.ring.length = 0;
    this.next = 0;
  }

  get size(): number {
    return this.ring.length;
  }
}
