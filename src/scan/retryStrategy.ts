import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

export interface RetryEvents {
  onRetry(errorInfo: RetryErrorInfo): void;
}

/**
 * Exponential backoff with full jitter and no client-side retry quota. The
 * SDK's standard strategy stops retrying once its quota is spent, which during
 * a throttling storm turns into silently given-up pages; here every call gets
 * its full number of attempts.
 */
export class BackoffRetryStrategy implements RetryStrategyV2 {
  constructor(
    private readonly maxAttempts: number,
    private readonly maxDelayMs: number,
    private readonly events: RetryEvents,
    private readonly random: () => number = Math.random,
  ) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return token(0, 0);
  }

  async refreshRetryTokenForRetry(previous: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const attempt = previous.getRetryCount() + 1;
    if (errorInfo.errorType === 'CLIENT_ERROR' || attempt >= this.maxAttempts) {
      throw new Error('no retry');
    }
    this.events.onRetry(errorInfo);
    const base = errorInfo.errorType === 'THROTTLING' ? 500 : 100;
    const ceiling = Math.min(this.maxDelayMs, base * 2 ** (attempt - 1));
    const hinted = errorInfo.retryAfterHint ? errorInfo.retryAfterHint.getTime() - Date.now() : 0;
    return token(attempt, Math.max(hinted, Math.round(this.random() * ceiling)));
  }

  recordSuccess(): void {}
}

function token(count: number, delay: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => delay };
}
