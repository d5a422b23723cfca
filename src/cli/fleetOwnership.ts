import { ownedServicesOf, teamRef, type OwnedService } from '../access/ownedServices';
import { ACCESS_PROFILES, isAccessProfile, type AccessProfile } from '../access/profiles';
import { loadAppConfig } from '../config/loadAppConfig';
import { readProviderConfigs, type EcsProviderConfig } from '../config/providerConfig';
import { isAccountId } from '../config/readers';
import { analyseFleet } from '../analysis/analyseFleet';
import type { Inventory } from '../scan/inventory';
import { entitySource, type EntitySourceArgs } from './loadEntities';
import { chooseProvider, scanProvider } from './scanCommand';
import { UsageError } from './usageError';

/** The options `iam-policy` and `iam-drift` share, as parseArgs takes them. */
export const OWNERSHIP_OPTIONS = {
  config: { type: 'string' },
  entities: { type: 'string' },
  'catalog-url': { type: 'string' },
  token: { type: 'string' },
  provider: { type: 'string' },
  team: { type: 'string' },
  profile: { type: 'string' },
  account: { type: 'string' },
} as const;

export interface OwnershipArgs extends EntitySourceArgs {
  config?: string;
  provider?: string;
  team?: string;
  profile?: string;
  account?: string;
}

export interface FleetOwnership {
  provider: EcsProviderConfig;
  team: string;
  profile: AccessProfile;
  accountId?: string;
  /** Every live service of the scan with its reconciled owner. */
  services: OwnedService[];
  inventory: Inventory;
}

/**
 * Scans the provider's scope and works out who owns each live service the way
 * the provider's entities say it: tags and rules, and, when entities are
 * given (a file or a running catalog), the owner inherited from the entity
 * that claims the service.
 */
export async function fleetOwnership(args: OwnershipArgs, usage: string, beforeScan: (provider: EcsProviderConfig) => void = () => {}): Promise<FleetOwnership> {
  if (!args.config) throw new UsageError(`--config is required\nusage: ${usage}`);
  if (!args.team) throw new UsageError(`--team is required\nusage: ${usage}`);
  if (!args.profile) throw new UsageError(`--profile is required\nusage: ${usage}`);
  const team = teamRef(args.team);
  if (!team) throw new UsageError(`--team '${args.team}' is not an entity reference such as group:default/team-a`);
  if (!isAccessProfile(args.profile)) throw new UsageError(`--profile must be ${ACCESS_PROFILES.join(', ')}, not '${args.profile}'`);
  if (args.account !== undefined && !isAccountId(args.account)) throw new UsageError(`--account '${args.account}' is not an AWS account id (12 digits)`);
  const readEntities = entitySource(args, { required: false, usage });

  const root = await loadAppConfig(args.config);
  const provider = chooseProvider(readProviderConfigs(root), args.provider);
  // A missing flag or key is reported before a scan that may take minutes.
  beforeScan(provider);

  // The entities first: a typo in a file name should not cost a whole scan.
  const entities = await readEntities();

  const inventory = await scanProvider(root, provider);
  const { mapped } = await analyseFleet({ inventory, entities: entities ?? [], mapping: provider.mapping, now: new Date() });
  return { provider, team, profile: args.profile, accountId: args.account, services: ownedServicesOf(mapped.entities), inventory };
}

/** Says on stderr what an empty answer most likely means. */
export function explainNoServices(ownership: FleetOwnership, err: (text: string) => void): void {
  const { team, accountId, services } = ownership;
  // The scope asked about: listing the team itself as an owner in another account would read as a contradiction.
  const inScope = services.filter(s => accountId === undefined || s.accountId === accountId);
  if (inScope.some(s => s.owner === team)) return;
  const owners = [...new Set(inScope.map(s => s.owner))].sort();
  const shown = owners.slice(0, 10).join(', ') + (owners.length > 10 ? `, and ${owners.length - 10} more` : '');
  err(`warning: ${team} owns no live ECS service in the scanned scope${accountId ? ` of account ${accountId}` : ''}; owners found: ${shown || 'none'}`);
}
