import { TestDatabases, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { parseFleet } from '../../dev/emulator';
import { driftCommand } from '../../src/cli/driftCommand';
import type { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { renderDriftJson } from '../../src/report/renderJson';
import { eventually, fetchEntities, HAND_WRITTEN_LOCATION, handWrittenEntities, providerUnderTest, startCatalogBackend } from '../support/catalogBackend';
import { useEmulator } from '../support/scanFixture';

/**
 * One catalog, read by the backend (the provider's catalog query) and by the
 * command line (an entity file holding the same entities): the two reports
 * must be the same, finding for finding, because both come through one analysis.
 */
const A = '111111111111';
const ARN = (cluster: string, name: string) => `arn:aws:ecs:eu-west-1:${A}:service/${cluster}/${name}`;

const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTSAMEPATHS001', secretAccessKey: 'same-paths-secret', accountId: A }],
  accounts: [
    {
      id: A,
      roles: [{ name: 'reader' }],
      regions: {
        'eu-west-1': {
          clusters: [
            {
              name: 'shop',
              services: [
                { name: 'checkout', tags: { owner: 'team-payments' } },
                { name: 'cart', tags: { owner: 'team-nowhere' } },
                { name: 'search' },
                { name: 'api' },
                { name: 'worker' },
                { name: 'indexer', tags: { domain: 'search' } },
                { name: 'retired', status: 'INACTIVE' },
              ],
            },
          ],
        },
      },
    },
  ],
});

const providerConfig = { accounts: [A], regions: ['eu-west-1'], rateLimit: { perSecond: 1000, burst: 1000 } };
const config = { aws: { accountDefaults: { roleName: 'reader' } }, catalog: { providers: { awsEcs: { test: providerConfig } } } };

const entity = (kind: string, name: string, spec: JsonObject, annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, annotations: { ...HAND_WRITTEN_LOCATION, ...annotations } },
  spec,
});
const service = (name: string, owner: string, annotations: Record<string, string>) => entity('Component', name, { type: 'service', lifecycle: 'production', owner }, annotations);
const byArn = (arn: string) => ({ 'aws.amazon.com/amazon-ecs-service-arn': arn });
const team = (name: string, annotations: Record<string, string> = {}) => entity('Group', name, { type: 'team', children: [] }, annotations);

/** Every kind of finding, and a Group that carries an ARN annotation: a Group claims nothing, on either path. */
const catalog: Entity[] = [
  team('team-payments'),
  team('team-b', byArn(ARN('shop', 'worker'))),
  service('checkout', 'team-payments', byArn(ARN('shop', 'checkout'))),
  service('cart-app', 'team-b', byArn(ARN('shop', 'cart'))),
  service('ghost', 'team-b', byArn(ARN('shop', 'retired'))),
  service('bad', 'team-b', byArn(`arn:aws:ecs:eu-west-1:${A}:task/shop/0123abcd`)),
  service('api-one', 'team-b', byArn(ARN('shop', 'api'))),
  service('api-two', 'team-payments', byArn(ARN('shop', 'api'))),
  service('elsewhere', 'team-b', byArn('arn:aws:ecs:us-east-1:999999999999:service/x/y')),
  entity('System', 'search', { owner: 'team-payments' }, { 'aws.amazon.com/amazon-ecs-service-tags': 'domain=search' }),
  entity('Resource', 'nothing-tagged', { type: 'queue', owner: 'team-b' }, { 'aws.amazon.com/amazon-ecs-service-tags': 'domain=none' }),
];

/** The report as JSON, without the one field that differs between two runs: when it was made. */
const comparable = (json: string) => ({ ...(JSON.parse(json) as Record<string, unknown>), generatedAt: undefined });

describe('one catalog, two paths', () => {
  useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('gives the same drift report through the backend and through ecs-catalog-sync drift', async () => {
    let provider: AwsEcsEntityProvider | undefined;
    const backend: TestBackend = await startCatalogBackend({
      knex: await databases.init('SQLITE_3'),
      config,
      features: [providerUnderTest({ alsoProvide: [handWrittenEntities(catalog)], onProvider: p => (provider = p) })],
    });
    let fromBackend: string;
    try {
      await eventually(() => fetchEntities(backend, 'metadata.annotations.backstage.io/managed-by-location=url:https://example.com/catalog-info.yaml'), e => e.length === catalog.length, 'the hand-written entities');
      await provider!.refresh();
      fromBackend = renderDriftJson((await provider!.latestReport())!);
      // Stopped only once the catalog has processed what the scan sent, so nothing of it outlives the test.
      await eventually(() => fetchEntities(backend, 'spec.type=ecs-service'), e => e.length === 6, 'the six live services in the catalog');
    } finally {
      await backend.stop();
    }

    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-same-paths-'));
    writeFileSync(path.join(dir, 'app-config.yaml'), stringify(config));
    writeFileSync(path.join(dir, 'catalog.yaml'), catalog.map(e => stringify(e)).join('---\n'));
    let fromCli = '';
    const code = await driftCommand(['--config', path.join(dir, 'app-config.yaml'), '--entities', path.join(dir, 'catalog.yaml'), '--format', 'json'], text => (fromCli += text), () => {});

    expect(code).toBe(1);
    expect(comparable(fromCli)).toEqual(comparable(fromBackend));
    const report = JSON.parse(fromBackend) as { summary: Record<string, unknown>; unclaimed: Array<{ arn: string }>; phantoms: Array<{ entityRef: string }> };
    // Each kind of finding is there, so the comparison covers them all.
    expect(report.summary).toMatchObject({ phantoms: 2, ownerDrift: 1, duplicateClaims: 1, malformedClaims: 1, notVerified: 1 });
    expect(report.phantoms.map(p => p.entityRef)).toEqual(['component:default/ghost', 'resource:default/nothing-tagged']);
    // The Group's ARN annotation is no claim: the worker stays unclaimed.
    expect(report.unclaimed.map(u => u.arn)).toEqual([ARN('shop', 'search'), ARN('shop', 'worker')]);
  });
});
