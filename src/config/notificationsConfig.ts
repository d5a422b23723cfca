import type { Config } from '@backstage/config';
import { ConfigError } from './configError';
import { assertKnownKeys } from './readers';

/** Whether the provider tells the owners of claiming entities about their findings. */
export interface NotificationsConfig {
  enabled: boolean;
}

export function readNotifications(config: Config, path: string): NotificationsConfig {
  const notifications = config.getOptionalConfig('notifications');
  if (!notifications) return { enabled: true };
  const at = `${path}.notifications`;
  assertKnownKeys(notifications, at, ['enabled']);
  const enabled = notifications.getOptional('enabled') ?? true;
  if (typeof enabled !== 'boolean') throw new ConfigError(`${at}.enabled`, `${JSON.stringify(enabled)} must be true or false`);
  return { enabled };
}
