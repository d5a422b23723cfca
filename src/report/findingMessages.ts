import type { DriftReport } from './driftReport';

type ReportPhantom = DriftReport['phantoms'][number];
type ReportMalformed = DriftReport['malformedClaims'][number];
type ReportTabMismatch = DriftReport['tabMismatches'][number];
type ReportOwnerDrift = DriftReport['ownerDrift'][number];
type ReportDuplicate = DriftReport['duplicateClaims'][number];

/*
 * One sentence per finding kind, addressed to the claiming entity's owner:
 * what is wrong, the annotation to change and the value to put there. The
 * entity warnings and the entity's claims route both speak these words.
 */

export function phantomMessage(p: ReportPhantom): string {
  if (p.arn === undefined) {
    return `${p.annotation} is "${p.selector ?? ''}", but ${p.reason}. Correct the annotation, or tag the services it should find.`;
  }
  return (
    `${p.annotation} names ${p.arn}, but ${p.reason}. ` +
    (p.suggestion
      ? `Change the annotation to ${p.suggestion.arn} (${p.suggestion.why}).`
      : 'Remove it from the annotation, or replace it with the ARN of the service that took its place.')
  );
}

export function malformedMessage(m: Pick<ReportMalformed, 'annotation' | 'value' | 'reason'>): string {
  return `${m.annotation} contains "${m.value}", which is ${m.reason}. Use ECS service ARNs (arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME) or key=value pairs.`;
}

export function tabMismatchMessage(m: ReportTabMismatch): string {
  return (
    `${m.annotation} is "${m.value}", which the AWS Labs ECS tab does not read as this catalog does: ${m.reason}. ` +
    (m.suggestion
      ? `Set ${m.suggestion.annotation} to ${m.suggestion.value} instead, with no other ECS claim annotation on the entity.`
      : 'No one annotation claims the same services for both: split the claim over entities, one service each, or tag the services alike and claim them by tags.')
  );
}

export function ownerDriftMessage(d: ReportOwnerDrift): string {
  return `ECS service ${d.arn}: ${d.reason}. Change the service's owner tag to ${d.entityOwner ?? 'an existing group'}, or this entity's spec.owner.`;
}

/** The duplicate as one of its claimants reads it (`entityRef` lower-case). */
export function duplicateMessage(d: ReportDuplicate, entityRef: string): string {
  const others = d.entityRefs.filter(r => r.toLowerCase() !== entityRef.toLowerCase()).join(', ');
  return `ECS service ${d.arn} is also claimed by ${others}. Keep the claim in one entity and remove it from the others.`;
}
