import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ANNOTATION_SERVICE_ARN, ANNOTATION_SERVICE_TAGS } from '../mapping/annotations';
import { claimsByArn, isClaimingEntity } from './claimingEntities';

export interface ArnClaim {
  kind: 'arn';
  entityRef: string;
  annotation: typeof ANNOTATION_SERVICE_ARN;
  arn: string;
  accountId: string;
  region: string;
  /** Service name, and the cluster when the ARN has the current (long) format. */
  name: string;
  cluster?: string;
}

export interface SelectorClaim {
  kind: 'selector';
  entityRef: string;
  annotation: typeof ANNOTATION_SERVICE_TAGS;
  /** The annotation as written. */
  selector: string;
  pairs: Array<{ key: string; value: string }>;
}

export type Claim = ArnClaim | SelectorClaim;

export interface MalformedClaim {
  entityRef: string;
  annotation: string;
  value: string;
  reason: string;
}

const SERVICE_ARN = /^arn:(aws|aws-us-gov|aws-cn):ecs:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):service\/(?:([A-Za-z0-9_-]{1,255})\/)?([A-Za-z0-9_-]{1,255})$/;
const OTHER_ECS_ARN = /^arn:[a-z-]+:ecs:[^:]*:[^:]*:([a-z-]+)\//;

/** Parses an ECS service ARN in either format, or says why it is not one. */
export function parseServiceArn(value: string): Omit<ArnClaim, 'kind' | 'entityRef' | 'annotation'> | { error: string } {
  const match = SERVICE_ARN.exec(value);
  if (match) {
    const [, , region, accountId, cluster, name] = match;
    return { arn: value, accountId, region, name, ...(cluster ? { cluster } : {}) };
  }
  const other = OTHER_ECS_ARN.exec(value);
  if (other && other[1] !== 'service') return { error: `a ${other[1].replace(/-/g, ' ')} ARN, not an ECS service ARN` };
  return { error: 'not an ECS service ARN (arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME)' };
}

/**
 * The claims a hand-written entity makes on ECS services, and the annotation
 * values that cannot be claims. The ARN annotation may list several ARNs
 * separated by commas; the selector splits each pair at its first `=`, so
 * values may themselves hold `=`, spaces or quotes.
 */
export function readClaims(entity: Entity): { claims: Claim[]; malformed: MalformedClaim[] } {
  const claims: Claim[] = [];
  const malformed: MalformedClaim[] = [];
  if (!isClaimingEntity(entity)) return { claims, malformed };
  const entityRef = stringifyEntityRef(entity);
  const annotations = entity.metadata.annotations ?? {};

  const arns = claimsByArn(entity) ? annotations[ANNOTATION_SERVICE_ARN] : undefined;
  if (arns !== undefined) {
    const items = arns.split(',').map(item => item.trim());
    if (items.every(item => item === '')) {
      malformed.push({ entityRef, annotation: ANNOTATION_SERVICE_ARN, value: arns, reason: 'empty: name at least one ECS service ARN' });
    }
    for (const item of items) {
      if (item === '') continue;
      const parsed = parseServiceArn(item);
      if ('error' in parsed) malformed.push({ entityRef, annotation: ANNOTATION_SERVICE_ARN, value: item, reason: parsed.error });
      else claims.push({ kind: 'arn', entityRef, annotation: ANNOTATION_SERVICE_ARN, ...parsed });
    }
  }

  const selector = annotations[ANNOTATION_SERVICE_TAGS];
  if (selector !== undefined) {
    const parsed = parseSelector(selector);
    if ('error' in parsed) malformed.push({ entityRef, annotation: ANNOTATION_SERVICE_TAGS, value: selector, reason: parsed.error });
    else claims.push({ kind: 'selector', entityRef, annotation: ANNOTATION_SERVICE_TAGS, selector, pairs: parsed.pairs });
  }
  return { claims, malformed };
}

export function parseSelector(value: string): { pairs: Array<{ key: string; value: string }> } | { error: string } {
  const pairs: Array<{ key: string; value: string }> = [];
  const items = value.split(',');
  for (const [i, raw] of items.entries()) {
    const item = raw.trim();
    const eq = item.indexOf('=');
    if (item === '') return { error: `pair ${i + 1} is empty; write key=value pairs separated by commas` };
    if (eq <= 0) return { error: `'${item}' is not a key=value pair` };
    pairs.push({ key: item.slice(0, eq).trim(), value: item.slice(eq + 1) });
  }
  return { pairs };
}
