import type { DriftReport } from './driftReport';

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
        message:
          `${p.annotation} names ${p.arn}, but ${p.reason}. ` +
          (p.suggestion
            ? `Change the annotation to ${p.suggestion.arn} (${p.suggestion.why}).`
            : 'Remove it from the annotation, or replace it with the ARN of the service that took its place.'),
      });
    } else {
      const selector = p.selector ?? '';
      found.push({
        entityRef: p.entityRef,
        kind: 'phantom',
        subject: selector,
        owner: p.owner,
        message: `${p.annotation} is "${selector}", but ${p.reason}. Correct the annotation, or tag the services it should find.`,
      });
    }
  }
  for (const m of report.malformedClaims) {
    found.push({
      entityRef: m.entityRef,
      kind: 'malformed',
      subject: m.value,
      owner: m.owner,
      message: `${m.annotation} contains "${m.value}", which is ${m.reason}. Use ECS service ARNs (arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME) or key=value pairs.`,
    });
  }
  for (const m of report.tabMismatches) {
    found.push({
      entityRef: m.entityRef,
      kind: 'tab-mismatch',
      subject: m.value,
      owner: m.owner,
      message:
        `${m.annotation} is "${m.value}", which the AWS Labs ECS tab does not read as this catalog does: ${m.reason}. ` +
        (m.suggestion
          ? `Set ${m.suggestion.annotation} to ${m.suggestion.value} instead, with no other ECS claim annotation on the entity.`
          : 'No one annotation claims the same services for both: split the claim over entities, one service each, or tag the services alike and claim them by tags.'),
    });
  }
  for (const d of report.ownerDrift) {
    if (d.entityRef === null) continue;
    found.push({
      entityRef: d.entityRef,
      kind: 'owner-drift',
      subject: d.arn,
      owner: d.owner,
      message: `ECS service ${d.arn}: ${d.reason}. Change the service's owner tag to ${d.entityOwner ?? 'an existing group'}, or this entity's spec.owner.`,
    });
  }
  for (const d of report.duplicateClaims) {
    const refs = new Map(d.entityRefs.map(r => [r.toLowerCase(), r]));
    for (const [key, ref] of refs) {
      const others = d.entityRefs.filter(r => r.toLowerCase() !== key).join(', ');
      found.push({
        entityRef: ref,
        kind: 'duplicate',
        subject: d.arn,
        owner: d.owner,
        message: `ECS service ${d.arn} is also claimed by ${others}. Keep the claim in one entity and remove it from the others.`,
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
