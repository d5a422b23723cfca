import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Duration } from 'luxon';

/** The interval between scheduled runs, or undefined for a cron expression or a manual trigger. */
export function intervalOf(schedule: SchedulerServiceTaskScheduleDefinition): number | undefined {
  const frequency = schedule.frequency as object;
  if ('cron' in frequency || 'trigger' in frequency) return undefined;
  return millis(schedule.frequency);
}

/** A schedule's duration (a luxon Duration, or `{ minutes: 30 }` as config gives it) in milliseconds. */
export function millis(duration: unknown): number {
  if (Duration.isDuration(duration)) return duration.toMillis();
  if (typeof duration === 'string') return Duration.fromISO(duration).toMillis();
  return Duration.fromObject(duration as Record<string, number>).toMillis();
}
