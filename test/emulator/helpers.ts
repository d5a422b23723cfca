import { ECSClient, type ECSClientConfig } from '@aws-sdk/client-ecs';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { STSClient } from '@aws-sdk/client-sts';
import type { Emulator } from '../../dev/emulator/emulator';
import type { Fleet, ServiceSpec } from '../../dev/emulator/fleet';

export const MAIN_KEYS = { accessKeyId: 'AKIAEMULATORMAIN0001', secretAccessKey: 'emulator-secret' };
export const OTHER_KEYS = { accessKeyId: 'AKIAEMULATOROTHER001', secretAccessKey: 'other-secret' };

export const MAIN = '111111111111';
export const PROD = '222222222222';
export const ZERO = '012345678901';

/** A small hand-written fleet covering the shapes the tests need. */
export function smallFleet(): Fleet {
  return {
    organization: { managementAccountId: MAIN },
    principals: [
      { ...MAIN_KEYS, accountId: MAIN, arn: `arn:aws:iam::${MAIN}:user/backstage` },
      { ...OTHER_KEYS, accountId: '333333333333', arn: 'arn:aws:iam::333333333333:user/outsider' },
    ],
    accounts: [
      {
        id: MAIN,
        name: 'platform',
        roles: [{ name: 'backstage-ecs-read', trustedAccounts: [MAIN] }],
        regions: {
          'eu-west-1': {
            clusters: [
              {
                name: 'payments',
                tags: { env: 'prod' },
                services: [
                  { name: 'checkout-api', desiredCount: 3, taskDefinition: 'checkout-api:42', createdAt: '2025-03-01T10:00:00Z', tags: { Owner: 'team-payments', Component: 'checkout' } },
                  { name: 'legacy-billing', arnFormat: 'short', tags: { owner: 'team-payments' } },
                  { name: 'spot-worker', capacityProviders: ['FARGATE_SPOT'] },
                  { name: 'draining-svc', status: 'DRAINING', launchType: 'EC2' },
                  { name: 'old-svc', status: 'INACTIVE', tags: { team: 'team-payments' } },
                ],
              },
            ],
          },
          'us-east-1': { clusters: [{ name: 'default', services: [{ name: 'hello' }] }] },
        },
      },
      {
        id: PROD,
        name: 'prod',
        roles: [
          { name: 'backstage-ecs-read', externalId: 'ext-222', trustedAccounts: [MAIN] },
          { name: 'ecs-web', webIdentity: { tokens: ['token-abc'] } },
          { name: 'open-role' },
        ],
        regions: {
          'eu-west-1': { clusters: [{ name: 'search', services: [{ name: 'checkout-api', tags: { owner: 'team-search' } }] }] },
        },
      },
      { id: ZERO, name: 'zero', status: 'SUSPENDED', roles: [{ name: 'backstage-ecs-read', trustedAccounts: [MAIN] }] },
    ],
  };
}

export function services(n: number, prefix = 'svc'): ServiceSpec[] {
  return Array.from({ length: n }, (_, i) => ({ name: `${prefix}-${String(i).padStart(4, '0')}` }));
}

type Creds = NonNullable<ECSClientConfig['credentials']>;

export interface ClientOptions {
  region?: string;
  credentials?: Creds;
  maxAttempts?: number;
}

const clients: Array<{ destroy(): void }> = [];

function track<T extends { destroy(): void }>(c: T): T {
  clients.push(c);
  return c;
}

/** Frees the SDK's keep-alive sockets of every client made since the last call. */
export function destroyClients(): void {
  for (const c of clients.splice(0)) c.destroy();
}

export function ecs(emu: Emulator, o: ClientOptions = {}): ECSClient {
  return track(new ECSClient({ endpoint: emu.url, region: o.region ?? 'eu-west-1', credentials: o.credentials ?? { ...MAIN_KEYS }, maxAttempts: o.maxAttempts }));
}

export function sts(emu: Emulator, o: ClientOptions = {}): STSClient {
  return track(new STSClient({ endpoint: emu.url, region: o.region ?? 'us-east-1', credentials: o.credentials ?? { ...MAIN_KEYS }, maxAttempts: o.maxAttempts }));
}

export function tagging(emu: Emulator, o: ClientOptions = {}): ResourceGroupsTaggingAPIClient {
  return track(new ResourceGroupsTaggingAPIClient({ endpoint: emu.url, region: o.region ?? 'eu-west-1', credentials: o.credentials ?? { ...MAIN_KEYS }, maxAttempts: o.maxAttempts }));
}

export function organizations(emu: Emulator, o: ClientOptions = {}): OrganizationsClient {
  return track(new OrganizationsClient({ endpoint: emu.url, region: o.region ?? 'us-east-1', credentials: o.credentials ?? { ...MAIN_KEYS }, maxAttempts: o.maxAttempts }));
}

/** Awaits a rejection and returns the error, failing the test if it resolves. */
export async function rejection(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number }; $fault?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { $metadata?: { httpStatusCode?: number; attempts?: number } };
  }
  throw new Error('expected the call to fail');
}
