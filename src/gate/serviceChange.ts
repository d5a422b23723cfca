import type { ServiceSnapshot } from './operationView';

/** What moved between two reads of a service, in words; undefined when nothing that matters did. */
export function changedSince(before: ServiceSnapshot, now: ServiceSnapshot): string | undefined {
  const moved: string[] = [];
  if (before.deploymentId !== now.deploymentId) moved.push(`deployment ${before.deploymentId ?? 'none'} → ${now.deploymentId ?? 'none'}`);
  if (before.desiredCount !== now.desiredCount) moved.push(`desired count ${before.desiredCount} → ${now.desiredCount}`);
  return moved.length > 0 ? moved.join(', ') : undefined;
}
