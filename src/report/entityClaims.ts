import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { stringify } from 'yaml';
import {
  ANNOTATION_CLUSTER_ARN,
  ANNOTATION_OWNER_SOURCE,
  ANNOTATION_REPORTED_SERVICE_ARN,
  ANNOTATION_SERVICE_ARN,
  ANNOTATION_SERVICE_TAGS,
  LABEL_LAUNCH_TYPE,
} from '../mapping/annotations';
import { consoleUrl } from '../mapping/consoleLink';
import { isEcsServiceEntity } from '../mapping/ecsServiceEntity';
import { claimsByArn, isClaimingEntity } from '../reconcile/claimingEntities';
import { parseServiceArn, readClaims } from '../reconcile/claims';
import type { DriftReport } from './driftReport';
import { duplicateMessage, malformedMessage, ownerDriftMessage, phantomMessage, tabMismatchMessage } from './findingMessages';

/** How one claim stands in the latest report. */
export type ClaimState = 'matched' | 'phantom' | 'ownerDrift' | 'duplicate' | 'malformed' | 'notVerified';

/** The order a claim's findings are told in: the one that makes the claim wrong first. */
export const CLAIM_STATES: readonly ClaimState[] = ['phantom', 'malformed', 'notVerified', 'duplicate', 'ownerDrift', 'matched'];

export interface ClaimFinding {
  state: Exclude<ClaimState, 'matched'>;
  /** What is wrong and what to do, in words. */
  message: string;
}

export interface EntityClaim {
  annotation: string;
  /** One ARN of the ARN annotation, or the whole tag selector, as written. */
  value: string;
  /** The first of `findings`, or `matched` when there are none. */
  state: ClaimState;
  findings: ClaimFinding[];
  /** The claim annotation with this claim fixed, to paste into the entity's YAML; null when the fix is not in the entity's YAML. */
  yaml: string | null;
}

export interface EntityTabMismatch {
  annotation: string;
  value: string;
  message: string;
  /** The one annotation both this catalog and the AWS Labs ECS tab read alike; null when there is none. */
  yaml: string | null;
}

/** A claiming entity's claims, as the latest report judged them. */
export interface EntityClaimsView {
  kind: 'claims';
  entityRef: string;
  /** When the report was made: claims written since are judged at the next scan. */
  generatedAt: string;
  /** Every scope was read, so no claim is left unverified for a scope that failed. */
  complete: boolean;
  claims: EntityClaim[];
  tabMismatches: EntityTabMismatch[];
  /** Every fix of the ARN annotation at once; null when it needs none. */
  yaml: string | null;
}

export interface ServiceFinding {
  state: 'ownerDrift' | 'duplicate' | 'unclaimed';
  message: string;
}

/** An ECS service entity of this package: what runs, where, who owns it and who claims it. */
export interface EcsServiceView {
  kind: 'service';
  entityRef: string;
  generatedAt: string;
  complete: boolean;
  arn: string;
  accountId: string | null;
  region: string | null;
  cluster: string | null;
  launchType: string | null;
  owner: string | null;
  /** Where the owner came from: `tag`, `rule`, `claim` or `default`. */
  ownerSource: string | null;
  /** The service in the AWS console; null when its ARNs do not have the exact shape ECS gives them. */
  consoleUrl: string | null;
  /** The entities the service is a dependency of: the ones that claim it, and the component its tags name. */
  claimants: string[];
  findings: ServiceFinding[];
}

/** What `GET /entity/:namespace/:kind/:name/claims` answers. */
export type EntityEcsView = EntityClaimsView | EcsServiceView;

/** Whether the entity has anything to show about ECS: claims of its own, or it is an ECS service entity. */
export function hasEcsView(entity: Entity): boolean {
  return isEcsServiceEntity(entity) || isClaimingEntity(entity);
}

/**
 * The entity's side of the latest drift report. The entity gives its claims
 * as they are written now; the report says which of them failed and why.
 * A claim the report has no finding for is matched (or, when written after
 * the report, judged at the next scan: `generatedAt` says when).
 */
export function entityEcsView(entity: Entity, report: DriftReport): EntityEcsView {
  return isEcsServiceEntity(entity) ? serviceView(entity, report) : claimsView(entity, report);
}

function claimsView(entity: Entity, report: DriftReport): EntityClaimsView {
  const entityRef = stringifyEntityRef(entity);
  const mine = (ref: string | null) => ref !== null && ref.toLowerCase() === entityRef.toLowerCase();
  const annotations = entity.metadata.annotations ?? {};
  const { claims, malformed } = readClaims(entity);

  // The ARN annotation's items as written: each claim's fix edits this list.
  const arnItems = claimsByArn(entity) && annotations[ANNOTATION_SERVICE_ARN] !== undefined ? splitArns(annotations[ANNOTATION_SERVICE_ARN]) : [];
  const arnFixes = new Map<string, string | null>();

  const phantoms = report.phantoms.filter(p => mine(p.entityRef));
  const notVerified = report.notVerified.filter(n => mine(n.entityRef));
  const duplicates = report.duplicateClaims.filter(d => d.entityRefs.some(mine));
  const drifts = report.ownerDrift.filter(d => mine(d.entityRef));
  const claimedArns = claims.flatMap(c => (c.kind === 'arn' ? [c.arn] : []));

  const result: EntityClaim[] = [];
  for (const claim of claims) {
    const findings: ClaimFinding[] = [];
    let fix: string | null | undefined;
    if (claim.kind === 'arn') {
      const phantom = phantoms.find(p => p.arn === claim.arn);
      if (phantom) {
        findings.push({ state: 'phantom', message: phantomMessage(phantom) });
        fix = phantom.suggestion?.arn ?? null;
      }
      const unverified = notVerified.find(n => n.annotation === ANNOTATION_SERVICE_ARN && n.value === claim.arn);
      if (unverified) findings.push({ state: 'notVerified', message: unverifiedMessage(unverified) });
      for (const d of duplicates.filter(x => sameService(x.arn, claim.arn))) {
        findings.push({ state: 'duplicate', message: duplicateMessage(d, entityRef) });
        if (fix === undefined) fix = null;
      }
      for (const d of drifts.filter(x => sameService(x.arn, claim.arn))) findings.push({ state: 'ownerDrift', message: ownerDriftMessage(d) });
      if (fix !== undefined) arnFixes.set(claim.arn, fix);
    } else {
      const phantom = phantoms.find(p => p.selector === claim.selector);
      if (phantom) findings.push({ state: 'phantom', message: phantomMessage(phantom) });
      const unverified = notVerified.find(n => n.annotation === ANNOTATION_SERVICE_TAGS && n.value === claim.selector);
      if (unverified) findings.push({ state: 'notVerified', message: unverifiedMessage(unverified) });
      // What the selector found is not in the report: a finding on a service no ARN of the entity names came through the selector.
      for (const d of duplicates.filter(x => !claimedArns.some(a => sameService(x.arn, a)))) findings.push({ state: 'duplicate', message: duplicateMessage(d, entityRef) });
      for (const d of drifts.filter(x => !claimedArns.some(a => sameService(x.arn, a)))) findings.push({ state: 'ownerDrift', message: ownerDriftMessage(d) });
    }
    const value = claim.kind === 'arn' ? claim.arn : claim.selector;
    result.push(claimOf(claim.annotation, value, findings, fix === undefined ? null : arnYaml(arnItems, new Map([[value, fix]]))));
  }
  for (const m of malformed) {
    const isArnItem = m.annotation === ANNOTATION_SERVICE_ARN && arnItems.includes(m.value);
    if (isArnItem) arnFixes.set(m.value, null);
    result.push(claimOf(m.annotation, m.value, [{ state: 'malformed', message: malformedMessage(m) }], isArnItem ? arnYaml(arnItems, new Map([[m.value, null]])) : null));
  }

  const tabMismatches = report.tabMismatches
    .filter(t => mine(t.entityRef))
    .map(t => ({
      annotation: t.annotation,
      value: t.value,
      message: tabMismatchMessage(t),
      yaml: t.suggestion ? tabYaml(t.suggestion, annotations) : null,
    }));

  return {
    kind: 'claims',
    entityRef,
    generatedAt: report.generatedAt,
    complete: report.summary.complete,
    claims: result,
    tabMismatches,
    yaml: arnFixes.size > 0 ? arnYaml(arnItems, arnFixes) : null,
  };
}

function serviceView(entity: Entity, report: DriftReport): EcsServiceView {
  const annotations = entity.metadata.annotations ?? {};
  const labels = entity.metadata.labels ?? {};
  const longArn = annotations[ANNOTATION_SERVICE_ARN];
  const arn = annotations[ANNOTATION_REPORTED_SERVICE_ARN] ?? longArn;
  const arns = new Set([arn, longArn]);
  const clusterArn = annotations[ANNOTATION_CLUSTER_ARN] ?? '';
  const parsed = parseServiceArn(longArn);
  const entityRef = stringifyEntityRef(entity);

  const findings: ServiceFinding[] = [];
  for (const u of report.unclaimed.filter(x => arns.has(x.arn))) {
    findings.push({ state: 'unclaimed', message: `No entity claims ECS service ${u.arn} and no tag or rule names its owner. Claim it from the entity that runs it, or tag it with its owner.` });
  }
  for (const d of report.ownerDrift.filter(x => arns.has(x.arn))) {
    findings.push({
      state: 'ownerDrift',
      message: d.entityRef === null ? `ECS service ${d.arn}: ${d.reason}. Change its owner tag to an existing group, or claim it from the entity that runs it.` : ownerDriftMessage(d),
    });
  }
  const duplicates = report.duplicateClaims.filter(x => arns.has(x.arn));
  for (const d of duplicates) {
    findings.push({ state: 'duplicate', message: `ECS service ${d.arn} is claimed by ${d.entityRefs.join(', ')}. Keep the claim in one entity and remove it from the others.` });
  }

  const dependencyOf = Array.isArray(entity.spec?.dependencyOf) ? entity.spec.dependencyOf.filter((r): r is string => typeof r === 'string') : [];
  const claimants = new Map<string, string>();
  for (const ref of [...dependencyOf, ...duplicates.flatMap(d => d.entityRefs), ...report.ownerDrift.filter(x => arns.has(x.arn)).flatMap(d => (d.entityRef ? [d.entityRef] : []))]) {
    if (!claimants.has(ref.toLowerCase())) claimants.set(ref.toLowerCase(), ref);
  }

  return {
    kind: 'service',
    entityRef,
    generatedAt: report.generatedAt,
    complete: report.summary.complete,
    arn,
    accountId: 'error' in parsed ? null : parsed.accountId,
    region: 'error' in parsed ? null : parsed.region,
    cluster: ('error' in parsed ? undefined : parsed.cluster) ?? (clusterArn ? clusterArn.slice(clusterArn.lastIndexOf('/') + 1) : null),
    launchType: labels[LABEL_LAUNCH_TYPE] ?? null,
    owner: typeof entity.spec?.owner === 'string' ? entity.spec.owner : null,
    ownerSource: annotations[ANNOTATION_OWNER_SOURCE] ?? null,
    consoleUrl: consoleUrl(arn, clusterArn) ?? null,
    claimants: [...claimants.values()].sort(),
    findings,
  };
}

/**
 * Whether two ARNs name one service: the report names a service by the ARN ECS
 * reports, while a claim may use the other format (a short `service/NAME`
 * ARN carries no cluster), and reconciliation matches either.
 */
function sameService(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parseServiceArn(a);
  const y = parseServiceArn(b);
  if ('error' in x || 'error' in y) return false;
  return x.accountId === y.accountId && x.region === y.region && x.name === y.name && (x.cluster === undefined || y.cluster === undefined || x.cluster === y.cluster);
}

function claimOf(annotation: string, value: string, findings: ClaimFinding[], yaml: string | null): EntityClaim {
  findings.sort((a, b) => CLAIM_STATES.indexOf(a.state) - CLAIM_STATES.indexOf(b.state));
  return { annotation, value, state: findings[0]?.state ?? 'matched', findings, yaml };
}

function unverifiedMessage(n: DriftReport['notVerified'][number]): string {
  return `${n.annotation} names ${n.value}, which could not be checked: ${n.reason}. It is checked again at the next scan that reads its scope.`;
}

function splitArns(value: string): string[] {
  return value
    .split(',')
    .map(item => item.trim())
    .filter(item => item !== '');
}

/**
 * The ARN annotation after replacing (or, for null, removing) some of its
 * items, as YAML under `metadata.annotations`. The `yaml` library quotes what
 * needs quoting, so a value holding `#`, `: ` or a newline stays one value.
 */
function arnYaml(items: readonly string[], fixes: ReadonlyMap<string, string | null>): string {
  const kept: string[] = [];
  for (const item of items) {
    const fix = fixes.has(item) ? fixes.get(item) : item;
    if (fix && !kept.includes(fix)) kept.push(fix);
  }
  if (kept.length === 0) return `# Remove ${ANNOTATION_SERVICE_ARN} from metadata.annotations: none of its values claims a service.\n`;
  return annotationsYaml({ [ANNOTATION_SERVICE_ARN]: kept.join(',') });
}

function tabYaml(suggestion: { annotation: string; value: string }, annotations: Record<string, string>): string {
  const others = [ANNOTATION_SERVICE_ARN, ANNOTATION_SERVICE_TAGS].filter(key => key !== suggestion.annotation && key in annotations);
  const removal = others.map(key => `# Remove ${key} from metadata.annotations.\n`).join('');
  return removal + annotationsYaml({ [suggestion.annotation]: suggestion.value });
}

function annotationsYaml(values: Record<string, string>): string {
  return stringify({ metadata: { annotations: values } }, { lineWidth: 0 });
}
