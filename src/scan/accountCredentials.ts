import type { AwsCredentialsManager } from '@backstage/integration-aws-node';

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type CredentialProvider = () => Promise<TemporaryCredentials>;

// The SDK treats credentials as expired five minutes before their expiry; we
// renew a minute earlier still, so no client ever holds credentials that the
// SDK would refuse to sign with.
const RENEW_BEFORE_EXPIRY_MS = 6 * 60_000;
const MAIN_ACCOUNT = 'main';

/**
 * One credential source per account, shared by the clients of every region of
 * that account and kept across scans: one AssumeRole per account per
 * credential lifetime, however many regions and scans use it.
 */
export class AccountCredentials {
  private readonly providers = new Map<string, Promise<CachedCredentials>>();
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly manager: AwsCredentialsManager,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Credentials for an account; for the main account (Backstage's own identity) when no id is given. */
  forAccount(accountId?: string): Promise<CachedCredentials> {
    const key = accountId ?? MAIN_ACCOUNT;
    let provider = this.providers.get(key);
    if (!provider) {
      provider = this.manager.getCredentialProvider({ accountId }).then(
        p =>
          new CachedCredentials(p.sdkCredentialProvider as CredentialProvider, this.now, () =>
            this.counts.set(key, (this.counts.get(key) ?? 0) + 1),
          ),
      );
      // A failed lookup (no matching aws.accounts entry) is retried next scan.
      provider.catch(() => this.providers.delete(key));
      this.providers.set(key, provider);
    }
    return provider;
  }

  /** How many times credentials were fetched for the account (AssumeRole calls when a role is used). */
  fetches(accountId: string): number {
    return this.counts.get(accountId) ?? 0;
  }
}

/**
 * Credentials fetched once and reused until shortly before they expire. When
 * AWS rejects them early (revoked or expired sessions), the caller renews the
 * generation it used; concurrent callers that saw the same rejection share one
 * new session instead of each assuming the role again.
 */
export class CachedCredentials {
  private current: { credentials: TemporaryCredentials; generation: number } | undefined;
  private pending: Promise<TemporaryCredentials> | undefined;
  private generationCount = 0;

  constructor(
    private readonly source: CredentialProvider,
    private readonly now: () => number = () => Date.now(),
    private readonly onFetch: () => void = () => {},
  ) {}

  /**
   * The function handed to SDK clients as `credentials`. Marked as memoized so
   * the SDK asks it before every request instead of keeping its own copy that
   * a renewal could not reach.
   */
  readonly provider: CredentialProvider & { memoized: true } = Object.assign(
    async () => {
      if (!this.current || nearExpiry(this.current.credentials, this.now())) return this.fetch();
      return this.current.credentials;
    },
    { memoized: true as const },
  );

  get generation(): number {
    return this.current?.generation ?? 0;
  }

  /** Fetches new credentials unless someone already replaced the given generation. */
  async renew(rejectedGeneration: number): Promise<void> {
    if (this.pending) {
      await this.pending;
      return;
    }
    if (this.generation === rejectedGeneration) await this.fetch();
  }

  private fetch(): Promise<TemporaryCredentials> {
    if (!this.pending) {
      this.onFetch();
      this.pending = this.source()
        .then(credentials => {
          this.generationCount += 1;
          this.current = { credentials, generation: this.generationCount };
          return credentials;
        })
        .finally(() => {
          this.pending = undefined;
        });
    }
    return this.pending;
  }
}

function nearExpiry(credentials: TemporaryCredentials, now: number): boolean {
  return credentials.expiration !== undefined && credentials.expiration.getTime() - now < RENEW_BEFORE_EXPIRY_MS;
}
