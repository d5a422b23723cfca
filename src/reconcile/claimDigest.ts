import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { createHash } from 'node:crypto';
import { ANNOTATION_SERVICE_ARN, ANNOTATION_SERVICE_TAGS } from '../mapping/annotations';

/**
 * What a claiming entity says, as a short digest: its claim annotations and
 * its owner, the only parts reconciliation reads. Equal digests mean the
 * entity's claims would reconcile the same way.
 */
export function claimDigest(entity: Entity): string {
  const annotations = entity.metadata.annotations ?? {};
  const said = [annotations[ANNOTATION_SERVICE_ARN] ?? null, annotations[ANNOTATION_SERVICE_TAGS] ?? null, typeof entity.spec?.owner === 'string' ? entity.spec.owner : null];
  return createHash('sha256').update(JSON.stringify(said)).digest('base64url').slice(0, 16);
}

/** Entity ref (lower case) → digest, for every claiming entity a reconciliation read. */
export function claimDigests(entities: readonly Entity[]): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const entity of entities) digests[stringifyEntityRef(entity).toLowerCase()] = claimDigest(entity);
  return digests;
}
