import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ANNOTATION_SERVICE_ARN, ANNOTATION_SERVICE_TAGS } from '../mapping/annotations';
import { longServiceArn } from '../mapping/serviceArn';
import { claimsByArn } from '../reconcile/claimingEntities';
import { parseServiceArn } from '../reconcile/claims';
import type { Findings, Phantom, TabMismatch } from '../reconcile/findings';
import { compareStrings, type Inventory } from '../scan/inventory';
import type { AnnotationChange, EntityPlace } from './editAnnotations';

/** An entity read from a file, and where in the file it is written. */
export interface LocatedEntity {
  entity: Entity;
  file: string;
  place: EntityPlace;
}

/** One annotation value to rewrite, with every reason it changes. */
export interface Fix extends AnnotationChange {
  file: string;
  entityRef: string;
  why: string[];
}

/** A claim with something wrong in it that has no certain fix: listed for a person, never edited. */
export interface LeftAlone {
  entityRef: string;
  /** Undefined when the entity was not read from exactly one place. */
  file?: string;
  annotation: string;
  value: string;
  reason: string;
}

export interface FixPlan {
  /** Sorted by file, place and annotation. */
  fixes: Fix[];
  leftAlone: LeftAlone[];
}

export interface PlanFixesInput {
  /** The reconciliation's findings for these entities and this inventory (phantoms explained or not). */
  findings: Findings;
  inventory: Inventory;
  entities: readonly LocatedEntity[];
}

/**
 * Which claims have a certain fix, and what to write, from the findings the
 * one analysis made; nothing here judges a claim again. Certain means:
 *
 * - a phantom ARN with a suggested service: the service's long ARN takes the
 *   phantom's place (the other ARNs of the value stay), unless another entity
 *   claims that service already, or scopes went unread and the suggestion
 *   lies outside the phantom's own account and region (a closer match may
 *   run where nothing was read);
 * - a claim the AWS Labs tab reads differently, when the value that works in
 *   both belongs in the same annotation: a short or padded ARN becomes the
 *   long one, a selector gets the keys' spelling and no stray spaces (only
 *   when every scope was read: a selector reaches them all).
 *
 * Everything else that is wrong with a claim the findings name (a phantom
 * without a suggestion, a value listing several ARNs, an entity with both
 * claim annotations, a fix that means another annotation) is left alone and
 * listed. Claims into scopes that were not read are neither phantoms nor tab
 * mismatches, so they are never touched.
 */
export function planFixes({ findings, inventory, entities }: PlanFixesInput): FixPlan {
  const everythingRead = inventory.shards.length > 0 && inventory.shards.every(s => s.status === 'ok') && inventory.discovery?.status !== 'failed';
  const places = new Map<string, LocatedEntity[]>();
  for (const located of entities) {
    const ref = stringifyEntityRef(located.entity);
    places.set(ref, [...(places.get(ref) ?? []), located]);
  }
  const pending = new Map<string, Fix>();
  const leftAlone: LeftAlone[] = [];

  const placeOf = (entityRef: string) => {
    const found = places.get(entityRef) ?? [];
    return found.length === 1 ? found[0] : undefined;
  };
  const leave = (entityRef: string, annotation: string, value: string, reason: string) => {
    const located = placeOf(entityRef);
    leftAlone.push({ entityRef, annotation, value, reason, ...(located ? { file: located.file } : {}) });
  };
  /** The fix of one annotation, started from what the file holds; undefined (and listed) when the entity's place is not certain. */
  const fixOf = (entityRef: string, annotation: string, value: string): Fix | undefined => {
    const located = placeOf(entityRef);
    const current = located?.entity.metadata.annotations?.[annotation];
    if (!located || current === undefined) {
      const count = places.get(entityRef)?.length ?? 0;
      leave(entityRef, annotation, value, count > 1 ? `the entity is written in ${count} places; fix it by hand` : 'the entity was not read from a file');
      return undefined;
    }
    const key = `${entityRef}\u0000${annotation}`;
    const fix = pending.get(key) ?? { file: located.file, ...located.place, entityRef, annotation, oldValue: current, newValue: current, why: [] };
    pending.set(key, fix);
    return fix;
  };

  for (const phantom of findings.phantoms) fixPhantom(phantom);
  for (const mismatch of findings.tabMismatches) fixTabMismatch(mismatch);

  function fixPhantom(phantom: Phantom) {
    const { entityRef, annotation, suggestion } = phantom;
    if (phantom.arn === undefined) {
      leave(entityRef, annotation, phantom.selector ?? '', `${phantom.reason}; no tags can be suggested`);
      return;
    }
    if (!suggestion) {
      leave(entityRef, annotation, phantom.arn, `${phantom.reason}; no running service of that name to suggest`);
      return;
    }
    const service = inventory.services.find(s => s.arn === suggestion.arn);
    const claimed = parseServiceArn(phantom.arn);
    const sameScope = service !== undefined && !('error' in claimed) && service.accountId === claimed.accountId && service.region === claimed.region;
    if (!everythingRead && !sameScope) {
      leave(entityRef, annotation, phantom.arn, `${phantom.reason}; ${suggestion.why}, but a closer match may run in a scope that could not be read`);
      return;
    }
    const others = findings.matched.filter(m => m.arn === suggestion.arn && m.entityRef !== entityRef).map(m => m.entityRef);
    if (others.length > 0) {
      leave(entityRef, annotation, phantom.arn, `${phantom.reason}; the suggested ${suggestion.arn} is claimed by ${others.join(', ')} already`);
      return;
    }
    const fix = fixOf(entityRef, annotation, phantom.arn);
    if (!fix) return;
    const target = service ? longServiceArn(service.arn, service.clusterArn) : suggestion.arn;
    fix.newValue = replaceArn(fix.newValue, phantom.arn, target);
    fix.why.push(`phantom ${phantom.arn}: ${phantom.reason}; ${suggestion.why}`);
  }

  function fixTabMismatch(mismatch: TabMismatch) {
    const { entityRef, annotation, value, reason, suggestion } = mismatch;
    if (!suggestion) {
      leave(entityRef, annotation, value, `${reason}; no one annotation claims the same services`);
      return;
    }
    const entity = placeOf(entityRef)?.entity;
    const annotations = entity?.metadata.annotations ?? {};
    const both = entity !== undefined && claimsByArn(entity) && ANNOTATION_SERVICE_ARN in annotations && ANNOTATION_SERVICE_TAGS in annotations;
    const instead = `write ${suggestion.annotation}: ${suggestion.value}`;
    if (suggestion.annotation !== annotation || (both && annotation === ANNOTATION_SERVICE_TAGS)) {
      leave(entityRef, annotation, value, `${reason}; ${instead} and no other ECS claim annotation`);
      return;
    }
    if (annotation === ANNOTATION_SERVICE_ARN && value.split(',').filter(item => item.trim() !== '').length > 1) {
      leave(entityRef, annotation, value, `${reason}; ${instead} if it is the only service meant`);
      return;
    }
    if (annotation === ANNOTATION_SERVICE_TAGS && !everythingRead) {
      leave(entityRef, annotation, value, `${reason}; ${instead} once every scope can be read (a selector reaches them all)`);
      return;
    }
    const fix = fixOf(entityRef, annotation, value);
    if (!fix) return;
    fix.newValue = suggestion.value;
    fix.why.push(reason);
  }

  const fixes = [...pending.values()]
    .filter(f => f.newValue !== f.oldValue)
    .sort((a, b) => compareStrings(a.file, b.file) || a.document - b.document || (a.item ?? -1) - (b.item ?? -1) || compareStrings(a.annotation, b.annotation));
  return { fixes, leftAlone };
}

/**
 * The ARN annotation with one claimed ARN replaced. A value of one ARN
 * becomes the new ARN alone (the tab reads spaces as part of it); in a list,
 * the item changes and its separators stay.
 */
function replaceArn(value: string, arn: string, replacement: string): string {
  const parts = value.split(',');
  if (parts.filter(p => p.trim() !== '').length === 1) return value.trim() === arn ? replacement : value;
  return parts.map(p => (p.trim() === arn ? p.replace(arn, () => replacement) : p)).join(',');
}
