import type { DriftReport } from './driftReport';
import { duplicateMessage, malformedMessage, ownerDriftMessage, phantomMessage, tabMismatchMessage } from './findingMessages';

/**
 * What can be wrong with one entity's claim, as the short word of the
 * `aws.amazon.com/ecs-claim` label and of a notification's scope.
 */
export type ClaimFindingKind = 'phantom' | 'duplicate' | 'malformed' | 'owner-drift' | 'tab-mismatch' | 'not-verified';

/** One finding as its claiming entity's owner meets it. */
export interface ClaimFinding {
  /** The claiming entity, as the report names it. */
  entityRef: string;
  kind: ClaimFindingKind;
  /** What the finding is about: the service ARN, or the annotation value when it names none. */
  subject: string;
  /** Who the report addresses it to: the claiming entity's declared owner. */
  owner: string;
  /** What is wrong, the annotation to change and the value to put there. */
  message: string;
}

/**
 * Every finding of a report that has a claiming entity, one per entity, in
 * words its owner can act on. The warnings on entities, the claim label and
 * the notifications all read this one list, so they never disagree.
 */
export function claimFindings(report: DriftReport): ClaimFinding[] {
  const found: ClaimFinding[] = [];
  for (const p of report.phantoms) {
    if (p.arn !== undefined) {
      found.push({
        entityRef: p.entityRef,
        kind: 'phantom',
        subject: p.arn,
        owner: p.owner,
        message: phantomMessage(p),
      });
    } else {
      const selector = p.selector ?? '';
      found.push({
        entityRef: p.entityRef,
        kind: 'phantom',
        subject: selector,
        owner: p.owner,
        message: phantomMessage(p),
      });
    }
  }
  for (const m of report.malformedClaims) {
    found.push({
      entityRef: m.entityRef,
      kind: 'malformed',
      subject: m.value,
      owner: m.owner,
      message: malformedMessage(m),
    });
  }
  for (const m of report.tabMismatches) {
    found.push({
      entityRef: m.entityRef,
      kind: 'tab-mismatch',
      subject: m.value,
      owner: m.owner,
      message: tabMismatchMessage(m),
    });
  }
  for (const d of report.ownerDrift) {
    if (d.entityRef === null) continue;
    found.push({
      entityRef: d.entityRef,
      kind: 'owner-drift',
      subject: d.arn,
      owner: d.owner,
      message: ownerDriftMessage(d),
    });
  }
  for (const d of report.duplicateClaims) {
    const refs = new Map(d.entityRefs.map(r => [r.toLowerCase(), r]));
    for (const [key, ref] of refs) {
      found.push({
        entityRef: ref,
        kind: 'duplicate',
        subject: d.arn,
        owner: d.owner,
        message: duplicateMessage(d, key),
      });
    }
  }
  for (const n of report.notVerified) {
    found.push({
      entityRef: n.entityRef,
      kind: 'not-verified',
      subject: n.value,
      owner: n.owner,
      message: `${n.annotation} names ${n.value}, which was not checked: ${n.reason}.`,
    });
  }
  return found;
}
