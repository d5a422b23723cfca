import type { Lookups, LookupTarget, ServiceLookup } from '../scan/lookUpServices';
import { parseServiceArn } from './claims';
import type { Phantom } from './findings';
import type { Reconciliation } from './reconcile';

/**
 * The claimed ARNs a complete scan did not list, worth asking ECS about by
 * ARN: a listing never shows a deleted service, so only a lookup can tell an
 * owner whether the service was deleted, never existed, or lost its cluster.
 */
export function phantomLookupTargets(phantoms: readonly Phantom[], accept: (accountId: string) => boolean = () => true): LookupTarget[] {
  const targets = new Map<string, LookupTarget>();
  for (const p of phantoms) {
    if (!p.arn) continue;
    const parsed = parseServiceArn(p.arn);
    if ('error' in parsed || parsed.cluster === undefined || !accept(parsed.accountId)) continue;
    targets.set(p.arn, { arn: p.arn, accountId: parsed.accountId, region: parsed.region, cluster: parsed.cluster });
  }
  return [...targets.values()];
}

/** The reconciliation with each looked-up phantom's reason saying what ECS answered. */
export function explainPhantoms(reconciliation: Reconciliation, lookups: ReadonlyMap<string, ServiceLookup>): Reconciliation {
  if (lookups.size === 0) return reconciliation;
  const phantoms = reconciliation.findings.phantoms.map(p => {
    const lookup = p.arn === undefined ? undefined : lookups.get(p.arn);
    const parsed = lookup && parseServiceArn(p.arn!);
    if (!lookup || !parsed || 'error' in parsed) return p;
    const where = `in account ${parsed.accountId}, region ${parsed.region}`;
    return { ...p, reason: REASONS[lookup](where, parsed.cluster ?? '') };
  });
  return { ...reconciliation, findings: { ...reconciliation.findings, phantoms } };
}

const REASONS: Record<ServiceLookup, (where: string, cluster: string) => string> = {
  inactive: () => 'the service was deleted (status INACTIVE)',
  missing: where => `ECS knows no such service ${where}: it was deleted some time ago, or never created`,
  clusterMissing: (where, cluster) => `cluster ${cluster} does not exist ${where}`,
  listed: () => 'the service was created after the scan read its cluster; the next scan will find it',
};

/**
 * Asks ECS, through `lookUp`, about the phantoms of the accounts `accept`
 * takes, and explains them: the step the provider and the command line share.
 */
export async function explainPhantomsWith(
  reconciliation: Reconciliation,
  lookUp: (targets: LookupTarget[]) => Promise<Lookups>,
  accept?: (accountId: string) => boolean,
): Promise<{ reconciliation: Reconciliation; calls: Lookups['calls'] }> {
  const { answers, calls } = await lookUp(phantomLookupTargets(reconciliation.findings.phantoms, accept));
  return { reconciliation: explainPhantoms(reconciliation, answers), calls };
}
