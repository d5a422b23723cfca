import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { RemovalPolicy } from '../sync/removalPolicy';
import { ConfigError } from './configError';
import { assertKnownKeys, readDurationMs } from './readers';
import { intervalOf } from './scheduleInterval';

// When the schedule is a cron expression there is no single interval to wait for.
const FALLBACK_GRACE_MS = 60 * 60_000;
const DEFAULT_MAX_FRACTION = 0.25;

export function readRemoval(config: Config, path: string, schedule: SchedulerServiceTaskScheduleDefinition): RemovalPolicy {
  const interval = intervalOf(schedule) ?? FALLBACK_GRACE_MS;
  const removal = config.getOptionalConfig('removal');
  if (!removal) return { gracePeriodMs: interval, maxFraction: DEFAULT_MAX_FRACTION, guard: true };
  const at = `${path}.removal`;
  assertKnownKeys(removal, at, ['gracePeriod', 'maxFraction', 'guard']);
  const gracePeriodMs = readDurationMs(removal, 'gracePeriod', at, interval, { allowZero: true });
  const maxFraction = removal.getOptional('maxFraction') ?? DEFAULT_MAX_FRACTION;
  if (typeof maxFraction !== 'number' || !(maxFraction >= 0 && maxFraction <= 1)) {
    throw new ConfigError(`${at}.maxFraction`, `${JSON.stringify(maxFraction)} must be a number from 0 to 1`);
  }
  const guard = removal.getOptional('guard') ?? true;
  if (typeof guard !== 'boolean') throw new ConfigError(`${at}.guard`, 'must be true or false');
  return { gracePeriodMs, maxFraction, guard };
}
