import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SyncStateStore } from './syncStateStore';

/**
 * Which other replicas of a provider are alive, from a heartbeat each one
 * writes to the shared database. A busy replica hands a due scan group on
 * only when another replica is there to take it: alone, each hand-on would
 * cost a scheduler poll for nothing, and a takeover after a rolling restart
 * would wait several of them. A replica that stops leaves at once; one that
 * dies drops out after four missed beats (two intervals): a busy or starved
 * replica that beats late must not be taken for gone.
 */
export class ReplicaPresence {
  readonly replicaId = randomUUID();
  private timer?: NodeJS.Timeout;
  /** The beat being written, so leaving waits for it instead of being undone by it. */
  private beating?: Promise<void>;
  private readonly beatMs: number;

  constructor(
    private readonly store: () => Promise<SyncStateStore>,
    private readonly providerId: string,
    intervalMs: number | undefined,
    private readonly logger: LoggerService,
  ) {
    // Twice per scan interval, but never rarer than twice a minute: a dead replica
    // must drop out long before a slow schedule's next run.
    this.beatMs = Math.min(Math.max((intervalMs ?? MAX_BEAT_MS * 2) / 2, MIN_BEAT_MS), MAX_BEAT_MS);
  }

  start(): void {
    if (this.timer) return;
    const beat = () => {
      this.beating ??= this.beat().finally(() => (this.beating = undefined));
    };
    beat();
    this.timer = setInterval(beat, this.beatMs);
    this.timer.unref();
  }

  /** Whether another replica beat within the window; when the database cannot say, assume so (handing on is the safe side). */
  async othersAlive(): Promise<boolean> {
    try {
      return (await (await this.store()).othersSeen(this.providerId, this.replicaId, new Date(Date.now() - this.windowMs()))) > 0;
    } catch {
      return true;
    }
  }

  /** Stops beating and removes this replica's row; the backend is stopping, so a failure is only logged at debug level. */
  async leave(): Promise<void> {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    try {
      await (await this.store()).leave(this.providerId, this.replicaId);
    } catch (error) {
      this.logger.debug(`Could not record that this replica left: ${(error as Error).message}`);
    }
  }

  private windowMs(): number {
    return this.beatMs * 4;
  }

  private async beat(): Promise<void> {
    try {
      const now = Date.now();
      await (await this.store()).beat(this.providerId, this.replicaId, new Date(now), new Date(now - FORGET_AFTER_MS));
    } catch (error) {
      this.logger.debug(`Could not record that this replica is alive: ${(error as Error).message}`);
    }
  }
}

const MIN_BEAT_MS = 1_000;
const MAX_BEAT_MS = 30_000;
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;
