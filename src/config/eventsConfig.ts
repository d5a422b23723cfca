import type { Config } from '@backstage/config';
import { ConfigError } from './configError';
import { assertKnownKeys, readDurationMs } from './readers';

/** Refreshing services named by ECS events, between scheduled scans. */
export interface EventsConfig {
  /** The events topic the provider subscribes to (the one the SQS module publishes on). */
  topic: string;
  /** How long events are gathered before one round describes every service they name. */
  debounceMs: number;
}

const DEFAULT_DEBOUNCE_MS = 1_000;
const MAX_DEBOUNCE_MS = 60_000;

/** `<path>.events`; undefined when absent, so a provider without it works as it always has. */
export function readEvents(config: Config, path: string): EventsConfig | undefined {
  const events = config.getOptionalConfig('events');
  if (!events) return undefined;
  const at = `${path}.events`;
  assertKnownKeys(events, at, ['topic', 'debounce']);
  const topic = events.getOptional('topic');
  if (typeof topic !== 'string' || topic.trim() === '') throw new ConfigError(`${at}.topic`, 'must name the events topic the ECS events are published on');
  const debounceMs = readDurationMs(events, 'debounce', at, DEFAULT_DEBOUNCE_MS, { allowZero: true });
  if (debounceMs > MAX_DEBOUNCE_MS) throw new ConfigError(`${at}.debounce`, 'must be at most one minute: the scheduled scan covers anything slower');
  return { topic: topic.trim(), debounceMs };
}
