import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { OrganizationDiscoveryConfig } from './scanScope';
import type { CachedCredentials } from './accountCredentials';
import { ShardCallError } from './shardErrors';

// Organizations is a global service served from us-east-1 in the commercial partition.
const ORGANIZATIONS_REGION = 'us-east-1';

/** Active accounts of the organization, filtered by the include and exclude lists, sorted. */
export async function discoverAccounts(
  config: OrganizationDiscoveryConfig,
  credentials: CachedCredentials,
  endpoint?: string,
): Promise<string[]> {
  const client = new OrganizationsClient({
    region: ORGANIZATIONS_REGION,
    credentials: credentials.provider,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 5,
  });
  try {
    const active: string[] = [];
    let nextToken: string | undefined;
    do {
      let page;
      try {
        page = await client.send(new ListAccountsCommand({ NextToken: nextToken }));
      } catch (error) {
        throw new ShardCallError('organizations:ListAccounts', error);
      }
      for (const account of page.Accounts ?? []) {
        // Suspended and closing accounts cannot be assumed into; scanning them would only fail.
        if (account.Id && account.Status === 'ACTIVE') active.push(account.Id);
      }
      nextToken = page.NextToken || undefined;
    } while (nextToken);
    return filterAccounts(active, config);
  } finally {
    client.destroy();
  }
}

export function filterAccounts(accounts: string[], config: Pick<OrganizationDiscoveryConfig, 'include' | 'exclude'>): string[] {
  const include = new Set(config.include);
  const exclude = new Set(config.exclude);
  return [...new Set(accounts)]
    .filter(id => (include.size === 0 || include.has(id)) && !exclude.has(id))
    .sort();
}
