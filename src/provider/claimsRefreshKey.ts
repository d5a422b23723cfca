/**
 * The refresh key every claiming entity registers. After each scan the
 * provider refreshes it, so the catalog reprocesses exactly the claiming
 * entities and their warnings follow the newest report.
 */
export function claimsRefreshKey(providerId: string): string {
  return `aws-ecs-claims:${providerId}`;
}
