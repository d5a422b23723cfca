import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { intervalOf, millis } from '../config/scheduleInterval';

/**
 * The schedule of one scan group's task. With an interval (not a cron
 * expression), group g of G starts g/G of the interval after the first: the
 * groups fall due one at a time, so replicas sharing the database take turns
 * instead of one replica's scheduler claiming every group at the same tick.
 * The timeout is at most the interval, so a run that hangs holds its group
 * for one interval at most.
 */
export function groupSchedule(schedule: SchedulerServiceTaskScheduleDefinition, group: number, groups: number): SchedulerServiceTaskScheduleDefinition {
  const intervalMs = intervalOf(schedule);
  if (intervalMs === undefined) return schedule;
  const timeoutMs = Math.min(millis(schedule.timeout), intervalMs);
  const timeout = timeoutMs < millis(schedule.timeout) ? { milliseconds: timeoutMs } : schedule.timeout;
  if (group === 0) return { ...schedule, timeout };
  const firstMs = schedule.initialDelay ? millis(schedule.initialDelay) : 0;
  return { ...schedule, timeout, initialDelay: { milliseconds: firstMs + Math.round((group * intervalMs) / Math.max(1, groups)) } };
}
