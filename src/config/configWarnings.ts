import { type EcsProviderConfig, PROVIDERS_KEY } from './providerConfig';
import { ECS_RATE_LIMIT } from './scanConfig';
import { intervalOf, millis } from './scheduleInterval';

/**
 * Settings that are valid but probably not meant: pacing above what ECS
 * allows turns a scan into a stream of throttles that deploy tools in the
 * same account feel too. Warnings, not errors: an account whose limits AWS
 * raised may use them.
 */
export function configWarnings(config: EcsProviderConfig): string[] {
  const path = `${PROVIDERS_KEY}.${config.id}`;
  const warnings: string[] = [];
  const interval = intervalOf(config.schedule);
  if (interval !== undefined && millis(config.schedule.timeout) > interval) {
    warnings.push(`${path}.schedule.timeout is longer than schedule.frequency: a run that hangs would hold its scan group past its next run, so runs stop at the frequency instead`);
  }
  const explicit = config.tuning.rateLimit;
  if (explicit && explicit.perSecond > ECS_RATE_LIMIT.perSecond) {
    warnings.push(`${path}.rateLimit.perSecond is ${explicit.perSecond}, above the ${ECS_RATE_LIMIT.perSecond} calls a second ECS allows per account and region by default: expect throttled calls unless the accounts' limits were raised`);
  }
  if (explicit && explicit.burst > ECS_RATE_LIMIT.burst) {
    warnings.push(`${path}.rateLimit.burst is ${explicit.burst}, above ECS's default burst of ${ECS_RATE_LIMIT.burst} calls per account and region: expect throttled calls unless the accounts' limits were raised`);
  }
  if (config.tuning.rateBudget === 1 && !explicit) {
    warnings.push(`${path}.rateBudget is 1: the scan may use all of each of ECS's buckets, and deploy pipelines polling ECS in the same accounts will be throttled while it runs`);
  }
  return warnings;
}
