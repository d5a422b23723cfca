import type { EntityStatusItem } from '@backstage/catalog-model/alpha';
import type { DriftReport } from './driftReport';

/** The status item type our warnings carry, so they can be told apart from the catalog's own. */
export const CLAIM_WARNING_TYPE = 'aws.amazon.com/ecs-claim';

/**
 * The warnings to show on one claiming entity, in words its owner can act on:
 * what is wrong, the annotation to change, and the value to put there. They are
 * `warning` items: the entity keeps updating and nothing is hidden.
 */
export function warningsFor(entityRef: string, report: DriftReport): EntityStatusItem[] {
  const ref = entityRef.toLowerCase();
  const mine = (r: string | null) => r !== null && r.toLowerCase() === ref;
  const items: EntityStatusItem[] = [];
  const warn = (message: string) => items.push({ type: CLAIM_WARNING_TYPE, level: 'warning', message });

  for (const p of report.phantoms.filter(x => mine(x.entityRef))) {
    if (p.arn !== undefined) {
      warn(
        `${p.annotation} names ${p.arn}, but ${p.reason}. ` +
          (p.suggestion
            ? `Change the annotation to ${p.suggestion.arn} (${p.suggestion.why}).`
            : 'Remove it from the annotation, or replace it with the ARN of the service that took its place.'),
      );
    } else {
      warn(`${p.annotation} is "${p.selector}", but ${p.reason}. Correct the annotation, or tag the services it should find.`);
    }
  }
  for (const m of report.malformedClaims.filter(x => mine(x.entityRef))) {
    warn(`${m.annotation} contains "${m.value}", which is ${m.reason}. Use ECS service ARNs (arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME) or key=value pairs.`);
  }
  for (const d of report.ownerDrift.filter(x => mine(x.entityRef))) {
    warn(`ECS service ${d.arn}: ${d.reason}. Change the service's owner tag to ${d.entityOwner ?? 'an existing group'}, or this entity's spec.owner.`);
  }
  for (const d of report.duplicateClaims.filter(x => x.entityRefs.some(mine))) {
    const others = d.entityRefs.filter(r => !mine(r)).join(', ');
    warn(`ECS service ${d.arn} is also claimed by ${others}. Keep the claim in one entity and remove it from the others.`);
  }
  return items;
}
