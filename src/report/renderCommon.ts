import { toEntityRef } from '../mapping/entityRefs';
import type { DriftReport, FindingList } from './driftReport';

/**
 * Helpers shared by the drift report renderers. Everything in a report that
 * came from tags, annotations, entity refs or ARNs is untrusted text.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** C1 controls, line and paragraph separators, and bidirectional overrides and isolates (Trojan Source). */
const INVISIBLE_TROUBLE = /[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * One line of visible, well-formed text: C0 controls (newlines included) and
 * DEL become their Unicode control pictures (`␊`), so a newline in a value shows
 * as `␊` instead of breaking the document's structure; C1 controls, line
 * separators, bidi overrides and lone surrogates become U+FFFD.
 */
export function oneLine(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(INVISIBLE_TROUBLE, '\uFFFD')
    .replace(/[\u0000-\u001f]/g, c => String.fromCharCode(0x2400 + c.charCodeAt(0)))
    .replace(/\u007f/g, '\u2421');
}

/** The alert of a failed account discovery, which names no one account or region (`*`, `*`). */
export function isEverywhere(alert: { accountId: string; region: string }): boolean {
  return alert.accountId === '*' && alert.region === '*';
}

/** Coverage as a percentage with at most one decimal: `71.4%`, `100%`. */
export function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/** `1 phantom`, `2 phantoms`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Whether a finding addressed to `owner` is meant by a filter: the owner as
 * written in the report, or a short group name (`team-a` means
 * `group:default/team-a`).
 */
export function ownerMatches(owner: string, filter: string): boolean {
  return owner === filter || owner === toEntityRef(filter, 'group', 'default');
}

export interface FindingKind {
  key: FindingList;
  title: string;
}

/** The finding lists with their titles, in the order of `FINDING_LISTS`. */
export const FINDING_KINDS: FindingKind[] = [
  { key: 'phantoms', title: 'Phantoms' },
  { key: 'unclaimed', title: 'Unclaimed services' },
  { key: 'ownerDrift', title: 'Owner drift' },
  { key: 'duplicateClaims', title: 'Duplicate claims' },
  { key: 'malformedClaims', title: 'Malformed claims' },
  { key: 'tabMismatches', title: 'Not readable by the AWS Labs ECS tab' },
  { key: 'notVerified', title: 'Not verified' },
];

/** The counts in words: `2 phantoms, 1 unclaimed service, ..., 0 claims the AWS Labs ECS tab reads otherwise; 1 claim not verified`. */
export function countsInWords(report: DriftReport): string {
  const s = report.summary;
  return [
    plural(s.phantoms, 'phantom'),
    plural(s.unclaimed, 'unclaimed service'),
    plural(s.ownerDrift, 'owner drift'),
    plural(s.duplicateClaims, 'duplicate claim'),
    plural(s.malformedClaims, 'malformed claim'),
    plural(s.tabMismatches, 'claim the AWS Labs ECS tab reads otherwise', 'claims the AWS Labs ECS tab reads otherwise'),
  ].join(', ') + `; ${plural(s.notVerified, 'claim not verified', 'claims not verified')}`;
}

/** `5 of 7 live services claimed (71.4%)`. */
export function coverageInWords(report: DriftReport): string {
  const s = report.summary;
  return `${s.claimedServices} of ${plural(s.liveServices, 'live service')} claimed (${percent(s.coverage)})`;
}
