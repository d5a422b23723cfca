import { Config, readDurationFromConfig } from '@backstage/config';
import { Duration } from 'luxon';
import { ConfigError } from './configError';

/** Rejects keys we do not know, so a typo such as `regoins` is never silently ignored. */
export function assertKnownKeys(config: Config, path: string, known: readonly string[]): void {
  for (const key of config.keys()) {
    if (!known.includes(key)) throw unknownKey(path, key, known);
  }
}

/** The error for an unknown key, with the closest known one as a hint. */
export function unknownKey(path: string, key: string, known: readonly string[]): ConfigError {
  const hint = closest(key, known);
  return new ConfigError(`${path}.${key}`, `unknown key${hint ? ` (did you mean '${hint}'?)` : ''}; known keys are ${known.join(', ')}`);
}

const ACCOUNT_ID = /^\d{12}$/;

export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID.test(value);
}

/**
 * YAML reads an unquoted `012345678901` as a number and drops the leading zero,
 * so a number is refused with a hint instead of being padded by guesswork.
 */
export function readAccountId(value: unknown, key: string): string {
  if (typeof value === 'number') {
    throw new ConfigError(key, `${value} is a number; write account ids as quoted strings such as '012345678901' so leading zeros are kept`);
  }
  if (typeof value !== 'string' || !ACCOUNT_ID.test(value)) {
    throw new ConfigError(key, `${JSON.stringify(value)} is not an AWS account id (12 digits)`);
  }
  return value;
}

export function readAccountIdList(config: Config, key: string, path: string): string[] | undefined {
  const raw = config.getOptional(key);
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    throw new ConfigError(`${path}.${key}`, 'must be a list of 12-digit account ids');
  }
  const ids = raw.map((value, i) => readAccountId(value, `${path}.${key}[${i}]`));
  return unique(ids, `${path}.${key}`);
}

// Partition prefixes include us-gov and cn; the number at the end is required.
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function readRegionList(config: Config, key: string, path: string): string[] | undefined {
  const raw = config.getOptional(key);
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    throw new ConfigError(`${path}.${key}`, 'must be a list of region names such as eu-west-1');
  }
  const regions = raw.map((value, i) => {
    if (typeof value !== 'string' || !REGION.test(value)) {
      throw new ConfigError(`${path}.${key}[${i}]`, `${JSON.stringify(value)} is not an AWS region name such as eu-west-1`);
    }
    return value;
  });
  return unique(regions, `${path}.${key}`);
}

export function readPositiveInteger(config: Config, key: string, path: string, defaultValue: number): number {
  const raw = config.getOptional(key);
  if (raw === undefined) return defaultValue;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
    throw new ConfigError(`${path}.${key}`, `${JSON.stringify(raw)} must be a whole number of at least 1`);
  }
  return raw;
}

export function readPositiveNumber(config: Config, key: string, path: string, defaultValue: number): number {
  const raw = config.getOptional(key);
  if (raw === undefined) return defaultValue;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw <= 0) {
    throw new ConfigError(`${path}.${key}`, `${JSON.stringify(raw)} must be a number greater than 0`);
  }
  return raw;
}

/** Accepts what Backstage accepts for durations: `{ seconds: 30 }`, an ISO-8601 string or a ms-style string. */
export function readDurationMs(config: Config, key: string, path: string, defaultMs: number, options: { allowZero?: boolean } = {}): number {
  if (!config.has(key)) return defaultMs;
  let ms: number;
  try {
    const raw = config.getOptional(key);
    if (typeof raw === 'string' && raw.startsWith('P')) {
      const parsed = Duration.fromISO(raw);
      if (!parsed.isValid) throw new Error(`'${raw}' is not an ISO-8601 duration`);
      ms = parsed.toMillis();
    } else {
      ms = Duration.fromObject(readDurationFromConfig(config, { key })).toMillis();
    }
  } catch (error) {
    throw new ConfigError(`${path}.${key}`, `not a duration (${(error as Error).message}); use for example { seconds: 30 } or 'PT30S'`);
  }
  if (!(ms > 0) && !(options.allowZero && ms === 0)) {
    throw new ConfigError(`${path}.${key}`, options.allowZero ? 'must not be negative' : 'must be longer than zero');
  }
  return ms;
}

function unique<T>(values: T[], key: string): T[] {
  const seen = new Set<T>();
  for (const value of values) {
    if (seen.has(value)) throw new ConfigError(key, `${JSON.stringify(value)} is listed twice`);
    seen.add(value);
  }
  return values;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
