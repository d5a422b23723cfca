import type { LoggerService } from '@backstage/backend-plugin-api';

export interface ClaimRescanTiming {
  /** Quiet time after the last changed claim before the scan runs, so a burst of edits costs one scan. */
  delayMs: number;
  /** Least time between two scans started this way, since each reads all of AWS again. */
  minIntervalMs: number;
}

const DEFAULT_CLAIM_RESCAN: ClaimRescanTiming = { delayMs: 5_000, minIntervalMs: 60_000 };

/**
 * Scans one claim may start before a report sees it. A claim still unseen
 * after these (one the catalog view never reads, say) must not make the
 * provider scan AWS every minute; the scheduled scans still cover it. Once a
 * report has seen the claim, its next change gets a fresh allowance.
 */
const MAX_SCANS_PER_CLAIM = 3;

/**
 * Runs the provider's scan soon after a claim changed, instead of at the next
 * scheduled scan: an owner who fixes an annotation sees the result within a
 * minute or two, and claims the catalog had not loaded yet when the first
 * scan ran are reconciled without waiting a whole interval.
 */
export class ClaimRescan {
  private pending = new Set<string>();
  private readonly scansStarted = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private lastStart = -Infinity;

  constructor(
    private readonly trigger: () => Promise<void>,
    private readonly logger: LoggerService,
    private readonly timing: ClaimRescanTiming = DEFAULT_CLAIM_RESCAN,
  ) {}

  notice(entityRef: string): void {
    if (this.pending.has(entityRef)) return;
    const started = this.scansStarted.get(entityRef) ?? 0;
    if (started >= MAX_SCANS_PER_CLAIM) return;
    this.pending.add(entityRef);
    this.arm();
  }

  /** The latest report saw this claim as it is: a later edit may start scans again. */
  settled(entityRef: string): void {
    this.scansStarted.delete(entityRef);
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.max(this.timing.delayMs, this.lastStart + this.timing.minIntervalMs - Date.now());
    this.timer = setTimeout(() => this.fire(), wait);
    // Never keeps a stopping backend alive.
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    const refs = [...this.pending].sort();
    this.pending.clear();
    this.lastStart = Date.now();
    for (const ref of refs) {
      const started = (this.scansStarted.get(ref) ?? 0) + 1;
      this.scansStarted.set(ref, started);
      if (started === MAX_SCANS_PER_CLAIM) {
        this.logger.warn(`${ref} has started ${started} ECS syncs and still differs from what they read; it waits for the scheduled syncs from now on`);
      }
    }
    const shown = refs.slice(0, 5).join(', ') + (refs.length > 5 ? ` and ${refs.length - 5} more` : '');
    this.logger.info(`Claims changed since the last ECS sync (${shown}); syncing again now`);
    this.trigger().catch(error => {
      // A scan already running reads the catalog itself; a claim it misses is noticed again.
      this.logger.debug(`Could not start an ECS sync for changed claims: ${(error as Error).message}`);
    });
  }
}
