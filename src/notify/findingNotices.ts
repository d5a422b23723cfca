import { parseEntityRef } from '@backstage/catalog-model';
import { createHash } from 'node:crypto';
import { type ClaimFindingKind, claimFindings } from '../report/claimFindings';
import type { DriftReport } from '../report/driftReport';
import { plainDescription, plainTitle } from './plainText';

/** The findings an owner is told about: `not-verified` is not, since it is checked again by itself. */
export type NoticeKind = Exclude<ClaimFindingKind, 'not-verified'>;

/** What one notification says about one finding of one claiming entity. */
export interface FindingNotice {
  /**
   * The notification's scope: the same finding keeps the same scope from scan
   * to scan, so the notifications backend updates its notification instead of
   * adding one.
   */
  scope: string;
  entityRef: string;
  kind: NoticeKind;
  /** The ARN, or the annotation value when the finding names none. */
  subject: string;
  title: string;
  description: string;
  /** The claiming entity's page. */
  link: string;
  /** Changes whenever what the notification says, or whom it is addressed to, changes. */
  digest: string;
}

/** The topic users can mute in their notification settings. */
export const NOTICE_TOPIC = 'ECS claims';

const TITLES: Record<NoticeKind, string> = {
  phantom: 'Phantom ECS claim',
  duplicate: 'Duplicate ECS claim',
  malformed: 'Malformed ECS claim',
  'owner-drift': 'ECS owner drift',
  'tab-mismatch': 'ECS claim the AWS Labs tab reads otherwise',
};

// The notifications backend keeps scopes in a column of 255 characters.
const MAX_SCOPE = 255;

/** One notice per claiming entity and finding of the report. */
export function findingNotices(report: DriftReport, providerId: string): FindingNotice[] {
  const notices = new Map<string, FindingNotice>();
  for (const f of claimFindings(report)) {
    if (f.kind === 'not-verified') continue;
    const scope = noticeScope(providerId, f.kind, f.entityRef, f.subject);
    const title = plainTitle(`${TITLES[f.kind]} on ${f.entityRef}`);
    const description = plainDescription(f.message);
    const link = entityPagePath(f.entityRef);
    const digest = digestOf([title, description, link, f.owner]);
    notices.set(scope, { scope, entityRef: f.entityRef, kind: f.kind, subject: f.subject, title, description, link, digest });
  }
  return [...notices.values()];
}

/**
 * `aws-ecs:<provider>:<kind>:<entity>:<subject>`: per finding kind and ARN,
 * and per claiming entity too, so a team that owns two entities claiming
 * the same service gets one notification for each. Scopes that would not fit
 * end in a digest of the entity and the subject instead.
 */
export function noticeScope(providerId: string, kind: NoticeKind, entityRef: string, subject: string): string {
  const prefix = `aws-ecs:${providerId}:${kind}:`;
  const readable = `${prefix}${entityRef.toLowerCase()}:${subject}`;
  return readable.length <= MAX_SCOPE ? readable : `${prefix}${digestOf([entityRef.toLowerCase(), subject])}`;
}

/** `/catalog/<namespace>/<kind>/<name>`, the entity's page in the Backstage app. */
export function entityPagePath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${[namespace, kind.toLowerCase(), name].map(encodeURIComponent).join('/')}`;
}

function digestOf(parts: string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}
