import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { AccountCredentials } from './accountCredentials';
import { type DescribedServices, describeServices, type NamedService } from './describeServices';
import { discoverAccounts } from './discoverAccounts';
import { compareShards, compareStrings, DiscoveryResult, EcsService, emptyShard, Inventory, ShardResult, shardKey } from './inventory';
import { type Lookups, lookUpServices, type LookupTarget } from './lookUpServices';
import { scanShard } from './scanShard';
import { shardConcurrency } from './shardConcurrency';
import type { ScanScope } from './scanScope';
import { abortable, ShardClient } from './shardClient';
import { describeShardError, ShardCallError } from './shardErrors';

export interface ScannerOptions {
  credentialsManager: AwsCredentialsManager;
  /** Overrides the endpoint of every AWS client; otherwise the SDK reads AWS_ENDPOINT_URL and friends. */
  endpoint?: string;
  /** The clock the discovery cache reads; tests move it. */
  now?: () => number;
}

/**
 * How long an organization's account list serves the scans of this scanner.
 * The scan groups of one cycle start together; one discovery serves them all
 * instead of each group paging through Organizations, whose limits are low.
 */
export const DISCOVERY_TTL_MS = 5 * 60_000;

/**
 * The signal every call of one scan listens to, following `stop`: one
 * listener on the caller's signal, however many calls are in flight (each
 * listens until it settles, dozens at a time).
 */
function callSignal(stop: AbortSignal | undefined): AbortSignal | undefined {
  if (!stop) return undefined;
  const calls = new AbortController();
  setMaxListeners(0, calls.signal);
  if (stop.aborted) calls.abort(stop.reason);
  else stop.addEventListener('abort', () => calls.abort(stop.reason), { once: true });
  return calls.signal;
}

// What DefaultAwsCredentialsManager says when no aws.* entry covers an account.
const NO_INTEGRATION = /There is no AWS integration that matches/;

interface ResolvedAccounts {
  accounts: string[];
  discovery?: DiscoveryResult;
}

/** Claimed services looked up per scan at most: a handful of calls, whatever the catalog holds. */
export const MAX_LOOKUPS = 100;

/**
 * Scans the scope of one provider config. Keeps one ECS client per shard and
 * one credential cache per account for its whole life, so repeated scans reuse
 * connections and sessions.
 */
export class EcsScanner {
  private readonly credentials: AccountCredentials;
  private readonly clients = new Map<string, ShardClient>();
  private discovery?: { at: number; resolved: Promise<ResolvedAccounts> };

  constructor(
    private readonly config: ScanScope,
    private readonly options: ScannerOptions,
  ) {
    this.credentials = new AccountCredentials(options.credentialsManager);
  }

  /** Scans the provider's scope, or the part of it whose accounts `accounts` accepts. */
  /** Every account of the scope: the listed ones and, with an organization, the discovered ones. */
  async accounts(signal?: AbortSignal): Promise<string[]> {
    return [...(await abortable(this.resolveAccounts(), signal)).accounts];
  }

  /**
   * Scans the provider's scope, or the part of it whose accounts `accounts`
   * accepts. An aborted `signal` stops every call of the scan and rejects with
   * its reason: a stopped scan returns nothing, not a partial inventory.
   */
  async scan(options: { accounts?: (accountId: string) => boolean; signal?: AbortSignal } = {}): Promise<Inventory> {
    const signal = callSignal(options.signal);
    const resolved = await abortable(this.resolveAccounts(), signal);
    const accounts = options.accounts ? resolved.accounts.filter(options.accounts) : resolved.accounts;
    const discovery = resolved.discovery;
    const shards = accounts.flatMap(accountId => this.config.regions.map(region => ({ accountId, region })));
    const limit = pLimit(shardConcurrency(this.config.tuning, shards.length));
    const results = await Promise.all(shards.map(shard => limit(() => this.scanOne(shard.accountId, shard.region, signal))));
    signal?.throwIfAborted();

    const services: EcsService[] = results.flatMap(r => r.services).sort((a, b) => compareStrings(a.arn, b.arn));
    const inventory: Inventory = { shards: results.map(r => r.shard).sort(compareShards), services };
    // Copies: the resolved accounts may serve the next scans too.
    if (discovery) inventory.discovery = structuredClone(discovery);
    if (options.accounts) inventory.scopeAccounts = [...resolved.accounts];
    return inventory;
  }

  /**
   * Asks ECS about services the scan did not list, shard by shard and at
   * most `MAX_LOOKUPS` of them, so a report can say why a claim found
   * nothing. A shard that cannot be read answers nothing.
   */
  async lookUp(targets: readonly LookupTarget[], stop?: AbortSignal): Promise<Lookups> {
    const signal = callSignal(stop);
    const byShard = new Map<string, LookupTarget[]>();
    for (const t of [...targets].sort((a, b) => compareStrings(a.arn, b.arn)).slice(0, MAX_LOOKUPS)) {
      const key = shardKey(t.accountId, t.region);
      const inShard = byShard.get(key);
      if (inShard) inShard.push(t);
      else byShard.set(key, [t]);
    }
    const limit = pLimit(shardConcurrency(this.config.tuning, byShard.size));
    const perShard = await Promise.all(
      [...byShard.values()].map(inShard =>
        limit(async () => {
          const { accountId, region } = inShard[0];
          signal?.throwIfAborted();
          let client: ShardClient;
          try {
            client = await this.clientFor(accountId, region);
          } catch {
            return undefined;
          }
          const before = { ...client.stats };
          const answers = await lookUpServices(client.scoped(signal), inShard);
          const { apiCalls, throttled, retries } = client.stats;
          return { answers, calls: { accountId, region, apiCalls: apiCalls - before.apiCalls, throttled: throttled - before.throttled, retries: retries - before.retries } };
        }),
      ),
    );
    signal?.throwIfAborted();
    const done = perShard.filter(r => r !== undefined);
    return { answers: new Map(done.flatMap(r => [...r.answers])), calls: done.map(r => r.calls) };
  }

  /**
   * Describes named services of one shard with the shard's own paced client,
   * so events and scans share one budget. Returns the ECS calls it took.
   */
  async describe(accountId: string, region: string, targets: readonly NamedService[]): Promise<DescribedServices & { apiCalls: number; throttled: number }> {
    const client = await this.clientFor(accountId, region);
    const before = { ...client.stats };
    const described = await describeServices(client, accountId, region, targets);
    return { ...described, apiCalls: client.stats.apiCalls - before.apiCalls, throttled: client.stats.throttled - before.throttled };
  }

  /** How many times credentials were fetched for an account since this scanner was made. */
  credentialFetches(accountId: string): number {
    return this.credentials.fetches(accountId);
  }

  close(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private resolveAccounts(): Promise<ResolvedAccounts> {
    if (!this.config.organization) return Promise.resolve({ accounts: [...this.config.accounts] });
    const now = (this.options.now ?? Date.now)();
    if (!this.discovery || now - this.discovery.at >= DISCOVERY_TTL_MS) {
      const resolved = this.discoverOrganization();
      const entry = { at: now, resolved };
      this.discovery = entry;
      // A failed discovery is tried again by the next scan, not served for minutes.
      void resolved.then(r => {
        if (r.discovery?.status === 'failed' && this.discovery === entry) this.discovery = undefined;
      });
    }
    return this.discovery.resolved;
  }

  private async discoverOrganization(): Promise<ResolvedAccounts> {
    const org = this.config.organization!;
    try {
      const credentials = await this.credentials.forAccount(org.managementAccountId);
      const discovered = await discoverAccounts(org, credentials, this.options.endpoint);
      const accounts = [...new Set([...this.config.accounts, ...discovered])].sort();
      return { accounts, discovery: { status: 'ok', accounts: discovered.length } };
    } catch (error) {
      // Without the account list only the explicitly listed accounts can be
      // scanned; the failed discovery is reported so nobody reads the result as complete.
      const where = org.managementAccountId ? `management account ${org.managementAccountId}` : 'the main account';
      const { name, message } = describeShardError(error, org.managementAccountId ?? 'main', 'us-east-1');
      return {
        accounts: [...this.config.accounts],
        discovery: { status: 'failed', accounts: 0, error: { name, message: `account discovery through ${where} failed: ${message}` } },
      };
    }
  }

  private async scanOne(accountId: string, region: string, signal?: AbortSignal): Promise<{ shard: ShardResult; services: EcsService[] }> {
    signal?.throwIfAborted();
    const shard: ShardResult = { ...emptyShard(accountId, region, 'failed'), durationMs: 0 };
    const started = Date.now();
    let client: ShardClient | undefined;
    try {
      client = await this.clientFor(accountId, region);
      client.resetStats();
      client.resetPacing();
      await client.checkCredentials(signal);
      const result = await scanShard(client.scoped(signal), accountId, region);
      Object.assign(shard, { status: 'ok', clusters: result.clusters, services: result.services.length });
      return { shard, services: result.services };
    } catch (error) {
      // A stopped scan is no failed shard: it ends the whole scan.
      if (signal?.aborted) throw signal.reason;
      shard.error = describeShardError(error, accountId, region);
      return { shard, services: [] };
    } finally {
      if (client) Object.assign(shard, client.stats);
      shard.durationMs = Date.now() - started;
    }
  }

  private async clientFor(accountId: string, region: string): Promise<ShardClient> {
    const key = shardKey(accountId, region);
    let client = this.clients.get(key);
    if (!client) {
      let credentials;
      try {
        credentials = await this.credentials.forAccount(accountId);
      } catch (error) {
        if (NO_INTEGRATION.test((error as Error).message ?? '')) {
          throw Object.assign(
            new Error(`no credentials for account ${accountId}: add it to aws.accounts with a roleName, or set aws.accountDefaults.roleName`),
            { name: 'CredentialsNotConfigured' },
          );
        }
        // Anything else is the main account's own credentials failing (no
        // credentials found, STS unreachable): a config change would not help.
        throw new ShardCallError('main account credentials (sts:GetCallerIdentity)', error);
      }
      client = new ShardClient(accountId, region, credentials, this.config.tuning, this.options.endpoint);
      this.clients.set(key, client);
    }
    return client;
  }
}
