import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { planNotifications } from '../notify/planNotifications';
import type { DriftReport } from '../report/driftReport';
import type { NotifiedFindingsStore } from './notifiedFindingsStore';

export interface NotifyResult {
  sent: number;
  /** Sends given up on when the notifications backend could not be reached; they are planned again after the next scan. */
  unsent: number;
}

/**
 * Tells the owners of claiming entities about their findings after each scan
 * this replica ran, through the notifications plugin. A finding is
 * remembered as told only once its notification was accepted: when the
 * backend has no notifications plugin, or it fails, nothing is remembered,
 * the scan goes on, and the next scan tries again.
 */
export class ClaimNotifier {
  private unreachableSaid = false;

  constructor(
    private readonly providerId: string,
    private readonly notifications: NotificationService,
    private readonly store: () => Promise<NotifiedFindingsStore>,
    private readonly logger: LoggerService,
  ) {}

  /** `signal`: the replica is stopping; what is left unsent then waits for a later scan, without a warning. */
  async notify(report: DriftReport, signal?: AbortSignal): Promise<NotifyResult> {
    const store = await this.store();
    const sends = planNotifications(await store.list(this.providerId), report, this.providerId);
    let sent = 0;
    for (const [i, send] of sends.entries()) {
      if (signal?.aborted) return { sent, unsent: sends.length - i };
      // Remembered first, so a replica that planned the same send finds it taken.
      if (!(await store.move(this.providerId, send.before, send.after))) continue;
      try {
        await this.notifications.send({ recipients: { type: 'entity', entityRef: send.entityRef }, payload: send.payload });
      } catch (error) {
        await store.move(this.providerId, send.after, send.before);
        // The notifications plugin may stop before this one: a stopping backend is no reason to warn.
        if (signal?.aborted) return { sent, unsent: sends.length - i };
        this.unreachable(error as Error);
        // The others would fail alike: they wait for the next scan.
        return { sent, unsent: sends.length - i };
      }
      sent++;
    }
    if (sent > 0) this.unreachableSaid = false;
    return { sent, unsent: 0 };
  }

  /** Said once until a send succeeds again: a backend without the notifications plugin would say it every scan. */
  private unreachable(error: Error): void {
    const line = `Could not send ECS claim notifications, they are sent after a later scan (is the notifications backend plugin installed? catalog.providers.awsEcs.${this.providerId}.notifications.enabled: false turns them off): ${error.message}`;
    if (this.unreachableSaid) {
      this.logger.debug(line);
      return;
    }
    this.unreachableSaid = true;
    this.logger.warn(line);
  }
}
