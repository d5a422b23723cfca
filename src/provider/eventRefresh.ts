import type { LoggerService } from '@backstage/backend-plugin-api';
import { type IgnoreReason, parseEcsEvent, type ServiceReference } from '../events/parseEcsEvent';
import type { UnresolvedReason } from '../events/planEventRefresh';

/** What one round did, for the log and the counters. */
export interface EventRoundResult {
  unresolved: Array<{ reference: ServiceReference; reason: UnresolvedReason }>;
  /** DescribeServices calls per shard key. */
  calls: Map<string, number>;
  /** The fewest calls that describe the round's services of each shard (one cluster and 10 services a call). */
  minimumCalls: Map<string, number>;
  throttled: number;
  /** Shards whose services could not be described; the scheduled scan covers them. */
  failedShards: number;
  added: number;
  changed: number;
  removed: number;
  /** Services ECS reported gone that now wait out their grace period. */
  pending: number;
}

/** Counters since start, per provider and replica. */
export interface EventCounts {
  received: number;
  /** Events that named a service and were claimed by this replica. */
  handled: number;
  /** Events another replica, or an earlier delivery, had claimed. */
  duplicates: number;
  ignored: Partial<Record<IgnoreReason | UnresolvedReason, number>>;
  rounds: number;
  /** DescribeServices calls, all rounds and shards together. */
  describeCalls: number;
  /** The most DescribeServices calls one round sent to one shard. */
  maxCallsPerShardRound: number;
  /** Calls beyond the minimum for the services named, summed over shards and rounds (retries of throttled calls included). */
  callsOverMinimum: number;
  throttled: number;
  failedRounds: number;
}

export interface EventRefreshOptions {
  debounceMs: number;
  logger: LoggerService;
  /** Returns the ids of the events no replica handled before. */
  claim(eventIds: string[]): Promise<Set<string>>;
  /** Describes the services and applies what ECS says of them. */
  refresh(references: ServiceReference[]): Promise<EventRoundResult>;
}

/**
 * Gathers the services ECS events name for a short window, then refreshes
 * them in one round: a burst of events costs one DescribeServices call per
 * ten services and shard, not one per event. Rounds run one after the other.
 * Nothing here ever throws back at the events bus: a bad event is counted and
 * logged at debug level, a failed round at warn, and the scheduled scan
 * repairs whatever either missed.
 */
export class EventRefresh {
  readonly counts: EventCounts = { received: 0, handled: 0, duplicates: 0, ignored: {}, rounds: 0, describeCalls: 0, maxCallsPerShardRound: 0, callsOverMinimum: 0, throttled: 0, failedRounds: 0 };
  private pending = new Map<string, ServiceReference[]>();
  private timer?: NodeJS.Timeout;
  private rounds: Promise<void> = Promise.resolve();
  private readonly settledListeners: Array<() => void> = [];

  constructor(private readonly options: EventRefreshOptions) {}

  /** The events bus's subscriber: returns at once, the round runs later. */
  onEvent(payload: unknown): void {
    this.counts.received += 1;
    const parsed = parseEcsEvent(payload);
    if (parsed.kind === 'ignored') {
      this.ignore(parsed.reason, parsed.detail);
      return;
    }
    const already = this.pending.get(parsed.id);
    if (already) {
      this.counts.duplicates += 1;
      return;
    }
    this.pending.set(parsed.id, parsed.services);
    // A window from the first event, not from the latest: a steady stream of
    // events must not postpone its round for ever.
    if (!this.timer) {
      this.timer = setTimeout(() => this.fire(), this.options.debounceMs);
      this.timer.unref();
    }
  }

  /** Runs the pending round now and resolves when every round so far has ended. */
  async flush(): Promise<void> {
    if (this.timer) this.fire();
    await this.rounds;
  }

  /** Calls `listener` after each round, failed or not. */
  onSettled(listener: () => void): void {
    this.settledListeners.push(listener);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private fire(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    this.rounds = this.rounds.then(() => this.round(batch));
  }

  private async round(batch: Map<string, ServiceReference[]>): Promise<void> {
    const { logger } = this.options;
    try {
      const claimed = await this.options.claim([...batch.keys()]);
      this.counts.duplicates += batch.size - claimed.size;
      this.counts.handled += claimed.size;
      const references = new Map<string, ServiceReference>();
      for (const id of claimed) {
        for (const s of batch.get(id) ?? []) references.set(`${s.accountId}/${s.region}/${s.cluster}/${s.name}`, s);
      }
      if (references.size === 0) return;
      this.counts.rounds += 1;
      const result = await this.options.refresh([...references.values()]);
      for (const { reference, reason } of result.unresolved) {
        this.ignore(reason, `${reference.accountId}/${reference.region} service ${reference.name}`);
      }
      for (const [shard, calls] of result.calls) {
        this.counts.describeCalls += calls;
        this.counts.maxCallsPerShardRound = Math.max(this.counts.maxCallsPerShardRound, calls);
        this.counts.callsOverMinimum += Math.max(0, calls - (result.minimumCalls.get(shard) ?? 0));
      }
      this.counts.throttled += result.throttled;
      const changes = result.added + result.changed + result.removed + result.pending;
      const line =
        `ECS events: ${claimed.size} events named ${references.size} services; ` +
        `${result.added} added, ${result.changed} changed, ${result.removed} removed, ${result.pending} waiting out their grace period` +
        (result.failedShards > 0 ? `; ${result.failedShards} shards not read, left to the scheduled scan` : '');
      if (changes > 0 || result.failedShards > 0) logger.info(line);
      else logger.debug(line);
    } catch (error) {
      this.counts.failedRounds += 1;
      logger.warn(`ECS events not applied, the scheduled scan will cover them: ${(error as Error).message}`);
    } finally {
      for (const listener of this.settledListeners) listener();
    }
  }

  private ignore(reason: IgnoreReason | UnresolvedReason, detail: string): void {
    this.counts.ignored[reason] = (this.counts.ignored[reason] ?? 0) + 1;
    this.options.logger.debug(`ECS event ignored (${reason}): ${detail}`);
  }
}
