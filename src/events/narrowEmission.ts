import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ANNOTATION_REPORTED_SERVICE_ARN, ANNOTATION_SERVICE_ARN } from '../mapping/annotations';
import type { EmissionPlan, EmittedEntity } from '../sync/planEmission';

/** What an event round sends: the entities of the services its events named, nothing else. */
export interface NarrowedEmission {
  send: Entity[];
  upserts: Array<[string, EmittedEntity]>;
  added: number;
  removed: string[];
}

/**
 * Keeps from a shard's emission plan only the entities of the named services.
 * The other services of the shard keep their entities as last sent: the
 * scheduled scan, which reads them all, is the one to change them.
 */
export function narrowEmission(emission: EmissionPlan, emitted: ReadonlyMap<string, EmittedEntity>, namedArns: ReadonlySet<string>): NarrowedEmission {
  const isNamed = (entityJson: string | undefined) => entityJson !== undefined && namedArns.has(serviceArnOf(JSON.parse(entityJson) as Entity));
  const upserts = emission.upserts.filter(([, row]) => isNamed(row.entity));
  const sending = new Set(upserts.map(([ref]) => ref));
  const send = emission.send.filter(entity => sending.has(stringifyEntityRef(entity).toLowerCase()));
  return {
    send,
    upserts,
    added: upserts.filter(([ref]) => !emitted.has(ref)).length,
    removed: emission.removed.filter(ref => isNamed(emitted.get(ref)?.entity)),
  };
}

/** The ARN the service had in ECS's answer: the scan's identity for it. */
function serviceArnOf(entity: Entity): string {
  const annotations = entity.metadata.annotations ?? {};
  return annotations[ANNOTATION_REPORTED_SERVICE_ARN] ?? annotations[ANNOTATION_SERVICE_ARN] ?? '';
}

