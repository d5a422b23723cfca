import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { AccessConfig } from '../access/accessConfig';
import type { MappingOptions } from '../mapping/mappingOptions';
import type { ScanScope } from '../scan/scanScope';
import type { RemovalPolicy } from '../sync/removalPolicy';
import { readAccess } from './accessConfig';
import { type EventsConfig, readEvents } from './eventsConfig';
import { ConfigError } from './configError';
import { readMapping } from './mappingConfig';
import { type NotificationsConfig, readNotifications } from './notificationsConfig';
import { type OperateRoleConfig, readOperateRole } from './operateRoleConfig';
import { assertKnownKeys, readPositiveInteger } from './readers';
import { readRemoval } from './removalConfig';
import { readScanScope } from './scanConfig';

export const PROVIDERS_KEY = 'catalog.providers.awsEcs';

/** One `catalog.providers.awsEcs.<id>`, read and checked: every rule its parts follow lives in their own rooms. */
export interface EcsProviderConfig extends ScanScope {
  id: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
  mapping: MappingOptions;
  removal: RemovalPolicy;
  /**
   * How many scheduled tasks the accounts are split into. Backend replicas that
   * share one database run different groups at the same time.
   */
  scanGroups: number;
  access: AccessConfig;
  /** Notifications to the owners of claiming entities about their findings. */
  notifications: NotificationsConfig;
  /** Set: the provider also refreshes the services ECS events name. */
  events?: EventsConfig;
  /** The operate role's template and trusted principal, from `operations`. */
  operateRole?: OperateRoleConfig;
}

const PROVIDER_KEYS = [
  'accounts',
  'regions',
  'organization',
  'concurrency',
  'rateBudget',
  'rateLimit',
  'retry',
  'callTimeout',
  'schedule',
  'mapping',
  'removal',
  'scanGroups',
  'access',
  'notifications',
  'events',
  'operations',
] as const;
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 15 },
};
const PROVIDER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export function readProviderConfigs(root: Config): EcsProviderConfig[] {
  const providers = root.getOptionalConfig(PROVIDERS_KEY);
  if (!providers) return [];
  return providers.keys().map(id => {
    // The id becomes the provider name, which must never change; check it before
    // Backstage's own key validation throws a message without the path.
    if (!PROVIDER_ID.test(id)) {
      throw new ConfigError(`${PROVIDERS_KEY}.${id}`, `provider id '${id}' must start with a letter or digit and contain only letters, digits, '-' and '_'`);
    }
    return readProviderConfig(id, providers.getConfig(id));
  });
}

export function readProviderConfig(id: string, config: Config): EcsProviderConfig {
  const path = `${PROVIDERS_KEY}.${id}`;
  assertKnownKeys(config, path, PROVIDER_KEYS);

  const scope = readScanScope(config, path);
  const schedule = readSchedule(config, path);
  return {
    id,
    ...scope,
    schedule,
    mapping: readMapping(id, config, path),
    removal: readRemoval(config, path, schedule),
    scanGroups: readPositiveInteger(config, 'scanGroups', path, 1),
    access: readAccess(config, path),
    notifications: readNotifications(config, path),
    ...optional('events', readEvents(config, path)),
    ...optional('operateRole', readOperateRole(config, path)),
  };
}

function readSchedule(config: Config, path: string): SchedulerServiceTaskScheduleDefinition {
  if (!config.has('schedule')) return DEFAULT_SCHEDULE;
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(config.getConfig('schedule'));
  } catch (error) {
    throw new ConfigError(`${path}.schedule`, (error as Error).message);
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}
