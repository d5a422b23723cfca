import { claimFindings } from '../report/claimFindings';
import type { DriftReport } from '../report/driftReport';
import { entityPagePath, type FindingNotice, findingNotices, NOTICE_TOPIC, type NoticeKind } from './findingNotices';
import { plainDescription, plainTitle } from './plainText';

/** A finding whose owners were told about it, as the provider remembers it between scans. */
export interface NotifiedFinding {
  scope: string;
  entityRef: string;
  kind: NoticeKind;
  subject: string;
  title: string;
  digest: string;
}

/** The payload of `NotificationService.send`, as far as the planner decides it. */
export interface NoticePayload {
  title: string;
  description: string;
  link: string;
  scope: string;
  topic: string;
  severity: 'normal' | 'low';
}

/** One notification to send, and what is remembered of its finding before and after it. */
export interface NotificationSend {
  /** `new` and `changed` tell of a finding, `resolved` that it went away. */
  reason: 'new' | 'changed' | 'resolved';
  /** The claiming entity: the notifications backend sends to its owners. */
  entityRef: string;
  payload: NoticePayload;
  /** Remembered before the send (absent for a new finding). */
  before?: NotifiedFinding;
  /** Remembered after it (absent for a resolved one). */
  after?: NotifiedFinding;
}

/**
 * What to send after a scan, given what the owners were told before: a
 * notification for each finding that is new or says something else now, and
 * a short "resolved" for each one that went away. Nothing for a finding that
 * did not change, so later scans never repeat one. A finding that went away
 * only because its account and region could not be read this time (its claim
 * is now "not verified") is not resolved: it is held as it is until a scan
 * reads it again.
 */
export function planNotifications(notified: readonly NotifiedFinding[], report: DriftReport, providerId: string): NotificationSend[] {
  const current = new Map(findingNotices(report, providerId).map(n => [n.scope, n]));
  const before = new Map(notified.map(n => [n.scope, n]));
  const unread = unreadSubjects(report);
  const sends: NotificationSend[] = [];
  for (const [scope, notice] of current) {
    const known = before.get(scope);
    if (known?.digest === notice.digest) continue;
    sends.push({ reason: known ? 'changed' : 'new', entityRef: notice.entityRef, payload: payloadOf(notice), before: known, after: remembered(notice) });
  }
  for (const [scope, known] of before) {
    if (current.has(scope) || unread(known)) continue;
    sends.push({
      reason: 'resolved',
      entityRef: known.entityRef,
      before: known,
      payload: {
        title: plainTitle(`Resolved: ${known.title}`),
        description: plainDescription(`The latest ECS sync no longer finds this on ${known.entityRef}.`),
        link: entityPagePath(known.entityRef),
        scope,
        topic: NOTICE_TOPIC,
        severity: 'low',
      },
    });
  }
  return sends.sort((a, b) => (a.payload.scope < b.payload.scope ? -1 : a.payload.scope > b.payload.scope ? 1 : 0));
}

function payloadOf(notice: FindingNotice): NoticePayload {
  return { title: notice.title, description: notice.description, link: notice.link, scope: notice.scope, topic: NOTICE_TOPIC, severity: 'normal' };
}

function remembered({ scope, entityRef, kind, subject, title, digest }: FindingNotice): NotifiedFinding {
  return { scope, entityRef, kind, subject, title, digest };
}

const ECS_ARN = /^arn:[a-z-]+:ecs:([a-z0-9-]+):(\d{12}):/;

/**
 * Findings this report could not see: their claim is not verified now, or
 * their ARN lies in an account and region the scan could not read.
 */
function unreadSubjects(report: DriftReport): (finding: NotifiedFinding) => boolean {
  const notVerified = new Set(claimFindings(report).filter(f => f.kind === 'not-verified').map(f => `${f.entityRef.toLowerCase()}\n${f.subject}`));
  const unreadScopes = new Set(report.alerts.map(a => `${a.accountId}\n${a.region}`));
  return finding => {
    if (notVerified.has(`${finding.entityRef.toLowerCase()}\n${finding.subject}`)) return true;
    const arn = ECS_ARN.exec(finding.subject);
    return arn !== null && unreadScopes.has(`${arn[2]}\n${arn[1]}`);
  };
}
