import type { EntityStatusItem } from '@backstage/catalog-model/alpha';
import { claimFindings } from './claimFindings';
import type { DriftReport } from './driftReport';

/** The status item type our warnings carry, so they can be told apart from the catalog's own. */
export const CLAIM_WARNING_TYPE = 'aws.amazon.com/ecs-claim';

/**
 * The warnings to show on each claiming entity (by lower-case ref), in words
 * its owner can act on: what is wrong, the annotation to change, and the value
 * to put there. They are `warning` items: the entity keeps updating and
 * nothing is hidden. A claim that could not be checked is no warning: it is
 * checked again by itself once its scope can be read. Built once per report,
 * since the catalog asks for every claiming entity in turn.
 */
export function warningsByEntity(report: DriftReport): Map<string, EntityStatusItem[]> {
  const byRef = new Map<string, EntityStatusItem[]>();
  for (const finding of claimFindings(report)) {
    if (finding.kind === 'not-verified') continue;
    const ref = finding.entityRef.toLowerCase();
    const items = byRef.get(ref) ?? [];
    items.push({ type: CLAIM_WARNING_TYPE, level: 'warning', message: finding.message });
    byRef.set(ref, items);
  }
  return byRef;
}
