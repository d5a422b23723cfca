import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { toEntityRef } from '../mapping/entityRefs';
import type { MappingOptions } from '../mapping/mappingOptions';
import { ownershipOf } from '../mapping/ownership';
import { compareStrings, EcsService, Inventory, isLive, shardKey } from '../scan/inventory';
import { ANNOTATION_SERVICE_ARN, ANNOTATION_SERVICE_TAGS } from '../mapping/annotations';
import { longServiceArn } from '../mapping/serviceArn';
import { claimsByArn, isClaimingEntity } from './claimingEntities';
import { ArnClaim, Claim, parseServiceArn, readClaims, SelectorClaim } from './claims';
import type { Alert, Findings, OwnerDrift, Phantom, Suggestion, TabMismatch, TabSuggestion } from './findings';

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
  const findService = serviceIndex(inventory.services);
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
    tabMismatches: [],
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
    const service = findService(c);
    if (service && isLive(service)) {
      claim(service.arn, c.entityRef);
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

  findings.tabMismatches = tabMismatches(entities, claims, claimants, findService, live);

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
  const findService = serviceIndex(services);
  for (const c of claims) {
    if (c.kind === 'arn') {
      const service = findService(c);
      if (service) add(service.arn, c.entityRef);
    } else {
      for (const s of services) if (selects(c, s)) add(s.arn, c.entityRef);
    }
  }
  return new Map([...result].map(([arn, set]) => [arn, [...set].sort(compareStrings)]));
}

/**
 * Finds the service an ARN claim means. AWS moves services from the short ARN
 * format to the long one in place, so a claim in either form of the same
 * service (partition, account, region, cluster and name) finds it, whichever
 * form ECS reports today. A short claim names no cluster: it finds the one
 * service of that name in its account and region (a live one first), as the
 * short ARN did while it was the service's.
 */
function serviceIndex(services: readonly EcsService[]): (claim: ArnClaim) => EcsService | undefined {
  const byArn = new Map<string, EcsService>();
  const byLong = new Map<string, EcsService[]>();
  const byShort = new Map<string, EcsService[]>();
  const push = (map: Map<string, EcsService[]>, key: string, s: EcsService) => map.set(key, [...(map.get(key) ?? []), s]);
  for (const s of services) {
    byArn.set(s.arn, s);
    const partition = partitionOf(s.arn);
    push(byLong, identity(partition, s.accountId, s.region, clusterName(s.clusterArn), s.name), s);
    push(byShort, identity(partition, s.accountId, s.region, undefined, s.name), s);
  }
  const pick = (candidates: EcsService[] | undefined) => {
    const liveOnes = (candidates ?? []).filter(isLive);
    if (liveOnes.length === 1) return liveOnes[0];
    return liveOnes.length === 0 && candidates?.length === 1 ? candidates[0] : undefined;
  };
  return claim =>
    byArn.get(claim.arn) ??
    pick((claim.cluster === undefined ? byShort : byLong).get(identity(partitionOf(claim.arn), claim.accountId, claim.region, claim.cluster, claim.name)));
}

function identity(partition: string, accountId: string, region: string, cluster: string | undefined, name: string): string {
  return [partition, accountId, region, cluster ?? '', name].join('\u0000');
}

function partitionOf(arn: string): string {
  return arn.split(':')[1] ?? '';
}

function clusterName(clusterArn: string): string {
  return clusterArn.slice(clusterArn.lastIndexOf('/') + 1);
}

/**
 * Where the AWS Labs ECS entity tab reads a claim differently from us. The
 * tab (`@aws/amazon-ecs-plugin-for-backstage-backend`) takes the ARN
 * annotation as one ARN and the cluster from its `service/CLUSTER/NAME`; it
 * sends the selector to the Tagging API split at commas and at every `=`
 * (keeping the part between the first and second), untrimmed, and the
 * Tagging API compares keys and values exactly; with both annotations set it
 * reads neither. Each finding carries the value that reads the same in both.
 */
function tabMismatches(
  entities: readonly Entity[],
  claims: readonly Claim[],
  claimants: ReadonlyMap<string, ReadonlySet<string>>,
  findService: (claim: ArnClaim) => EcsService | undefined,
  live: readonly EcsService[],
): TabMismatch[] {
  const mismatches: TabMismatch[] = [];
  const claimedBy = new Map<string, EcsService[]>();
  for (const s of live) {
    for (const ref of claimants.get(s.arn) ?? []) claimedBy.set(ref, [...(claimedBy.get(ref) ?? []), s]);
  }
  const selectors = new Map(claims.filter((c): c is SelectorClaim => c.kind === 'selector').map(c => [c.entityRef, c]));

  for (const entity of entities) {
    if (!isClaimingEntity(entity)) continue;
    const entityRef = stringifyEntityRef(entity);
    const annotations = entity.metadata.annotations ?? {};
    const arnValue = claimsByArn(entity) ? annotations[ANNOTATION_SERVICE_ARN] : undefined;
    const tagsValue = annotations[ANNOTATION_SERVICE_TAGS];
    const mine = claimedBy.get(entityRef) ?? [];
    const report = (annotation: string, value: string, reason: string, suggestion: TabSuggestion | null) =>
      mismatches.push({ entityRef, annotation, value, reason, suggestion });

    if (arnValue !== undefined && tagsValue !== undefined) {
      report(
        ANNOTATION_SERVICE_TAGS,
        tagsValue,
        `the entity also has ${ANNOTATION_SERVICE_ARN}, and the tab reads neither annotation when both are set (it answers "Annotation not found")`,
        oneClaimFor(mine, live),
      );
    }

    if (arnValue !== undefined) {
      const items = arnValue.split(',').map(item => item.trim()).filter(item => item !== '');
      if (items.length > 1) {
        report(ANNOTATION_SERVICE_ARN, arnValue, 'the tab reads the whole value as one ARN and does not split it at commas', oneClaimFor(mine, live));
      } else if (items.length === 1) {
        const parsed = parseServiceArn(items[0]);
        const service = 'error' in parsed ? undefined : findService({ kind: 'arn', entityRef, annotation: ANNOTATION_SERVICE_ARN, ...parsed });
        if (service && isLive(service)) {
          const readable = longServiceArn(service.arn, service.clusterArn);
          if (arnValue !== readable) {
            const short = !('error' in parsed) && parsed.cluster === undefined;
            const why = short
              ? 'the tab takes the cluster from the ARN and answers "Malformed ECS Service ARN" for the short (service/NAME) format'
              : 'the tab reads the value as written, spaces included, and cannot parse it';
            report(ANNOTATION_SERVICE_ARN, arnValue, why, { annotation: ANNOTATION_SERVICE_ARN, value: readable });
          }
        }
      }
    }

    const selector = selectors.get(entityRef);
    if (selector) {
      const matched = live.filter(s => selects(selector, s));
      if (matched.length > 0) {
        const problem = selectorProblem(selector, matched);
        if (problem) report(ANNOTATION_SERVICE_TAGS, selector.selector, problem.reason, problem.suggestion ?? oneClaimFor(matched, live));
      }
    }
  }
  return mismatches;
}

/**
 * Why the tab would select other services than we do with this selector,
 * with the selector both read alike when there is one; undefined when they agree.
 */
function selectorProblem(selector: SelectorClaim, matched: readonly EcsService[]): { reason: string; suggestion?: TabSuggestion } | undefined {
  const withEquals = selector.pairs.find(p => p.value.includes('='));
  if (withEquals) {
    return { reason: `the tab cuts each pair at its second '=', so it looks for ${withEquals.key}=${withEquals.value.split('=')[0]}` };
  }
  const pairs: string[] = [];
  for (const p of selector.pairs) {
    const spellings = new Set(matched.map(s => Object.keys(s.tags).find(k => k.toLowerCase() === p.key.toLowerCase() && s.tags[k] === p.value) ?? p.key));
    if (spellings.size > 1) {
      return { reason: `the tab compares tag keys exactly, and the services spell ${p.key} as ${[...spellings].sort(compareStrings).join(', ')}` };
    }
    pairs.push(`${[...spellings][0]}=${p.value}`);
  }
  const readable = pairs.join(',');
  if (readable === selector.selector) return undefined;
  const recased = selector.pairs.find((p, i) => !pairs[i].startsWith(`${p.key}=`));
  return {
    reason: recased
      ? `the tab compares tag keys exactly, and the services spell ${recased.key} as ${pairs[selector.pairs.indexOf(recased)].split('=')[0]}`
      : 'the tab reads keys and values untrimmed, spaces around commas and = included',
    suggestion: { annotation: ANNOTATION_SERVICE_TAGS, value: readable },
  };
}

/**
 * One annotation that claims exactly these services in both readings: the
 * long ARN of a single service, or the tags the services share when they
 * select no other live service; null when there is none.
 */
function oneClaimFor(services: readonly EcsService[], live: readonly EcsService[]): TabSuggestion | null {
  if (services.length === 0) return null;
  if (services.length === 1) return { annotation: ANNOTATION_SERVICE_ARN, value: longServiceArn(services[0].arn, services[0].clusterArn) };
  const [first, ...rest] = services;
  const plain = (text: string) => text !== '' && text === text.trim() && !/[,=]/.test(text);
  const shared = Object.entries(first.tags)
    .filter(([k, v]) => plain(k) && plain(v) && rest.every(s => s.tags[k] === v))
    .sort(([a], [b]) => compareStrings(a, b));
  if (shared.length === 0) return null;
  const wanted = new Set(services.map(s => s.arn));
  const selected = live.filter(s => shared.every(([k, v]) => s.tags[k] === v));
  if (selected.length !== wanted.size || selected.some(s => !wanted.has(s.arn))) return null;
  return { annotation: ANNOTATION_SERVICE_TAGS, value: shared.map(([k, v]) => `${k}=${v}`).join(',') };
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
  f.tabMismatches.sort(by(t => t.entityRef, t => t.annotation, t => t.value));
}
