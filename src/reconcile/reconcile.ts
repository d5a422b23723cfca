import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { toEntityRef } from '../mapping/entityRefs';
import type { MappingOptions } from '../mapping/mappingOptions';
import { ownershipOf } from '../mapping/ownership';
import { compareStrings, EcsService, Inventory, isLive, shardKey } from '../scan/inventory';
import { ArnClaim, Claim, readClaims, SelectorClaim } from './claims';
import type { Alert, Findings, OwnerDrift, Phantom, Suggestion } from './findings';

export interface ReconcileInput {
  /** The latest scan. */
  inventory: Inventory;
  /** Every entity in the catalog; the provider's own are recognised and skipped as claims. */
  entities: Entity[];
  /** How the provider maps ownership, so drift is judged exactly as the entities were made. */
  mapping: MappingOptions;
  /** Refs known to exist in the catalog besides `entities` (lower case), to tell whether an owner tag names a real group. */
  knownEntityRefs?: ReadonlySet<string>;
}

export interface Reconciliation {
  findings: Findings;
  /** Service ARN → the entities that claim it, sorted. */
  claimants: Map<string, string[]>;
  /** Entity ref → the owner it declares in spec.owner, as a full reference. */
  declaredOwners: Map<string, string>;
  /** Every well-formed claim the entities make, as read. */
  claims: Claim[];
  /** Owners (lower-case refs) that owner tags name and the catalog lacks, sorted: their arrival changes the findings. */
  missingOwners: string[];
}


/**
 * Compares what runs on ECS with what the catalog claims. Pure: inventory and
 * entities in, findings out. What could not be read is taken out of both sides
 * (the driftctl rule): a claim into a failed or unscanned shard is "not
 * verified" with an alert, never a phantom, and a tag selector is a phantom
 * only when every shard in scope was read.
 */
export function reconcile({ inventory, entities, mapping, knownEntityRefs }: ReconcileInput): Reconciliation {
  const shards = new Map(inventory.shards.map(s => [shardKey(s.accountId, s.region), s]));
  const readShards = new Set([...shards].filter(([, s]) => s.status === 'ok').map(([key]) => key));
  const everythingRead = inventory.shards.length > 0 && readShards.size === shards.size && inventory.discovery?.status !== 'failed';
  const byArn = new Map(inventory.services.map(s => [s.arn, s]));
  const live = inventory.services.filter(s => isLive(s) && readShards.has(shardKey(s.accountId, s.region)));

  const refs = new Set([...(knownEntityRefs ?? []), ...entities.map(e => stringifyEntityRef(e).toLowerCase())]);
  const declaredOwners = new Map<string, string>();
  const claims: Claim[] = [];
  const findings: Findings = {
    matched: [],
    phantoms: [],
    unclaimed: [],
    ownerDrift: [],
    duplicateClaims: [],
    malformedClaims: [],
    notVerified: [],
    alerts: [],
    liveServices: live.length,
    claimedServices: 0,
  };
  const alerts = new Map<string, Alert>();
  for (const shard of inventory.shards) {
    if (shard.status === 'failed') {
      alerts.set(shardKey(shard.accountId, shard.region), {
        accountId: shard.accountId,
        region: shard.region,
        error: shard.error?.message ?? 'the shard could not be read',
      });
    }
  }

  if (inventory.discovery?.status === 'failed') {
    // Accounts the organization has but the config does not list were never compared.
    alerts.set('*', { accountId: '*', region: '*', error: inventory.discovery.error?.message ?? 'account discovery failed' });
  }

  for (const entity of entities) {
    const read = readClaims(entity);
    claims.push(...read.claims);
    findings.malformedClaims.push(...read.malformed);
    const owner = typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
    if ((read.claims.length > 0 || read.malformed.length > 0) && owner) {
      declaredOwners.set(stringifyEntityRef(entity), toEntityRef(owner, 'group', entity.metadata.namespace ?? 'default') ?? owner.toLowerCase());
    }
  }

  const claimants = new Map<string, Set<string>>();
  const claim = (arn: string, entityRef: string) => {
    const set = claimants.get(arn) ?? new Set<string>();
    if (set.has(entityRef)) return;
    set.add(entityRef);
    claimants.set(arn, set);
    findings.matched.push({ entityRef, arn });
  };

  for (const c of claims) {
    if (c.kind === 'arn') resolveArnClaim(c);
    else resolveSelectorClaim(c);
  }

  function resolveArnClaim(c: ArnClaim) {
    const key = shardKey(c.accountId, c.region);
    const shard = shards.get(key);
    if (!shard || shard.status !== 'ok') {
      const outside = !shard;
      findings.notVerified.push({
        entityRef: c.entityRef,
        annotation: c.annotation,
        value: c.arn,
        reason: outside ? `account ${c.accountId}, region ${c.region} is outside the scanned scope` : `account ${c.accountId}, region ${c.region} could not be read`,
      });
      if (outside && !alerts.has(key)) {
        alerts.set(key, { accountId: c.accountId, region: c.region, error: 'outside the scanned scope: claims there cannot be verified' });
      }
      return;
    }
    const service = byArn.get(c.arn);
    if (service && isLive(service)) {
      claim(c.arn, c.entityRef);
      return;
    }
    findings.phantoms.push({
      entityRef: c.entityRef,
      annotation: c.annotation,
      arn: c.arn,
      reason: service
        ? `the service was deleted (status ${service.status})`
        : `it is not in the complete scan of account ${c.accountId}, region ${c.region}`,
      suggestion: suggest(c, live),
    });
  }

  function resolveSelectorClaim(c: SelectorClaim) {
    const matches = live.filter(s => selects(c, s));
    for (const s of matches) claim(s.arn, c.entityRef);
    if (matches.length > 0) return;
    if (everythingRead) {
      findings.phantoms.push({
        entityRef: c.entityRef,
        annotation: c.annotation,
        selector: c.selector,
        reason: 'no live service in the scanned scope carries these tags',
        suggestion: null,
      });
    } else {
      findings.notVerified.push({
        entityRef: c.entityRef,
        annotation: c.annotation,
        value: c.selector,
        reason: 'nothing matched in the scopes that were read, and some scopes could not be read',
      });
    }
  }

  const missingOwners = new Set<string>();
  for (const service of live) {
    const who = claimants.get(service.arn);
    const ownership = ownershipOf(service, mapping);
    if (who && who.size > 1) findings.duplicateClaims.push({ arn: service.arn, entityRefs: [...who].sort(compareStrings) });
    if (who) findings.claimedServices += 1;
    if (!who && ownership.source === 'default') {
      findings.unclaimed.push({ arn: service.arn, name: service.name, accountId: service.accountId, region: service.region });
    }
    if (ownership.ownerTag === undefined) continue;
    const tagRef = ownership.source === 'tag' ? ownership.owner : undefined;
    const groupMissing = !tagRef || !refs.has(tagRef);
    if (tagRef && groupMissing) missingOwners.add(tagRef);
    const drift = (entityRef: string | null, entityOwner: string | null, reason: string): OwnerDrift => ({
      arn: service.arn,
      entityRef,
      entityOwner,
      tagOwner: ownership.ownerTag!,
      tagOwnerRef: tagRef ?? null,
      reason,
    });
    const claimers = who ? [...who].sort(compareStrings) : [];
    let reported = false;
    for (const entityRef of claimers) {
      const entityOwner = declaredOwners.get(entityRef);
      if (entityOwner && tagRef !== entityOwner) {
        findings.ownerDrift.push(drift(entityRef, entityOwner, `the owner tag says ${ownership.ownerTag}, the claiming entity says ${entityOwner}`));
        reported = true;
      }
    }
    if (!reported && groupMissing) {
      findings.ownerDrift.push(
        drift(claimers[0] ?? null, claimers[0] ? declaredOwners.get(claimers[0]) ?? null : null, `the owner tag names ${ownership.ownerTag}, which is not in the catalog`),
      );
    }
  }

  findings.alerts = [...alerts.values()].sort((a, b) => compareStrings(a.accountId, b.accountId) || compareStrings(a.region, b.region));
  sortFindings(findings);
  const sortedClaimants = new Map([...claimants].map(([arn, set]) => [arn, [...set].sort(compareStrings)]));
  return { findings, claimants: sortedClaimants, declaredOwners, claims, missingOwners: [...missingOwners].sort(compareStrings) };
}

/**
 * Service ARN → the entities that claim it, over any set of services. The
 * provider uses it to link entities to their claimants, including services
 * of shards that were not read this time, so those entities do not change.
 */
export function matchClaims(services: readonly EcsService[], claims: readonly Claim[]): Map<string, string[]> {
  const result = new Map<string, Set<string>>();
  const add = (arn: string, entityRef: string) => result.set(arn, (result.get(arn) ?? new Set<string>()).add(entityRef));
  const byArn = new Set(services.map(s => s.arn));
  for (const c of claims) {
    if (c.kind === 'arn') {
      if (byArn.has(c.arn)) add(c.arn, c.entityRef);
    } else {
      for (const s of services) if (selects(c, s)) add(s.arn, c.entityRef);
    }
  }
  return new Map([...result].map(([arn, set]) => [arn, [...set].sort(compareStrings)]));
}

/** Every pair must match: keys in any case, values exactly. */
function selects(claim: SelectorClaim, service: EcsService): boolean {
  return claim.pairs.every(p => hasTag(service, p.key, p.value));
}

function hasTag(service: EcsService, key: string, value: string): boolean {
  const lower = key.toLowerCase();
  return Object.entries(service.tags).some(([k, v]) => k.toLowerCase() === lower && v === value);
}

/**
 * The most likely intended service for a phantom ARN: recreated under the
 * other ARN format, else the same name in another cluster of the same
 * account and region, then in another region, then in another account.
 */
function suggest(claim: ArnClaim, live: EcsService[]): Suggestion | null {
  const candidates = live.filter(s => s.name === claim.name && s.arn !== claim.arn);
  const rank = (s: EcsService) => {
    const sameAccount = s.accountId === claim.accountId;
    const sameRegion = sameAccount && s.region === claim.region;
    const cluster = s.clusterArn.slice(s.clusterArn.lastIndexOf('/') + 1);
    if (sameRegion && (claim.cluster === undefined || claim.cluster === cluster)) return 0;
    if (sameRegion) return 1;
    if (sameAccount) return 2;
    return 3;
  };
  const best = candidates.sort((a, b) => rank(a) - rank(b) || compareStrings(a.arn, b.arn))[0];
  if (!best) return null;
  const cluster = best.clusterArn.slice(best.clusterArn.lastIndexOf('/') + 1);
  const why = [
    'the service was recreated under a new ARN',
    `the same service name runs in cluster ${cluster}`,
    `the same service name runs in region ${best.region}`,
    `the same service name runs in account ${best.accountId}, region ${best.region}`,
  ][rank(best)];
  return { arn: best.arn, why };
}

function sortFindings(f: Findings): void {
  const by = <T>(...keys: Array<(x: T) => string>) => (a: T, b: T) => {
    for (const key of keys) {
      const c = compareStrings(key(a), key(b));
      if (c !== 0) return c;
    }
    return 0;
  };
  f.matched.sort(by(m => m.entityRef, m => m.arn));
  f.phantoms.sort(by<Phantom>(p => p.entityRef, p => p.arn ?? p.selector ?? ''));
  f.unclaimed.sort(by(u => u.arn));
  f.ownerDrift.sort(by<OwnerDrift>(d => d.arn, d => d.entityRef ?? ''));
  f.duplicateClaims.sort(by(d => d.arn));
  f.malformedClaims.sort(by(m => m.entityRef, m => m.annotation, m => m.value));
  f.notVerified.sort(by(n => n.entityRef, n => n.value));
}
