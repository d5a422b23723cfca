import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ANNOTATION_ACCOUNT_ID, ANNOTATION_REGION } from '../mapping/annotations';
import { shardKey } from '../scan/inventory';

/** An entity as last sent to the catalog, and the shard its service lives in. */
export interface EmittedEntity {
  shardKey: string;
  /** The entity as JSON. */
  entity: string;
}

export interface EmissionPlan {
  /** Entity ref (lower case) → what the catalog should hold for the group after this scan. */
  kept: Map<string, EmittedEntity>;
  /**
   * Every kept entity, to send as one delta: the catalog skips the unchanged
   * by their hash, and one it lost (an orphan clean-up while the provider was
   * away from the config, an entity unregistered by hand, a refused insert)
   * comes back with the next scan instead of staying lost until its service changes.
   */
  send: Entity[];
  /** New or changed rows, to record before the catalog is told. */
  upserts: Array<[string, EmittedEntity]>;
  added: number;
  /** Refs the group sent before and no longer keeps, to remove after the catalog is told. */
  removed: string[];
}

/**
 * What one scan group sends, from the entities just mapped and those it sent
 * before. A shard that was not read keeps every entity it last sent exactly
 * as sent, even one the mapping would now make differently or not at all.
 */
export function planEmission(mapped: readonly Entity[], emitted: ReadonlyMap<string, EmittedEntity>, unreadShards: ReadonlySet<string>): EmissionPlan {
  const kept = new Map<string, EmittedEntity>();
  // The entities just mapped, so sending them needs no parse of their JSON.
  const fresh = new Map<string, Entity>();
  for (const entity of mapped) {
    const ref = stringifyEntityRef(entity).toLowerCase();
    const annotations = entity.metadata.annotations ?? {};
    const shard = shardKey(annotations[ANNOTATION_ACCOUNT_ID], annotations[ANNOTATION_REGION]);
    const last = unreadShards.has(shard) ? emitted.get(ref) : undefined;
    if (last) {
      kept.set(ref, last);
    } else {
      kept.set(ref, { shardKey: shard, entity: JSON.stringify(entity) });
      fresh.set(ref, entity);
    }
  }
  for (const [ref, row] of emitted) if (unreadShards.has(row.shardKey) && !kept.has(ref)) kept.set(ref, row);
  const upserts = [...kept].filter(([ref, row]) => emitted.get(ref)?.entity !== row.entity);
  return {
    kept,
    send: [...kept].map(([ref, row]) => fresh.get(ref) ?? (JSON.parse(row.entity) as Entity)),
    upserts,
    added: upserts.filter(([ref]) => !emitted.has(ref)).length,
    removed: [...emitted.keys()].filter(ref => !kept.has(ref)),
  };
}
