import { TestDatabases } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseFleet } from '../../dev/emulator';
import type { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { renderDriftHtml } from '../../src/report/renderHtml';
import { renderDriftMarkdown } from '../../src/report/renderMarkdown';
import { renderDriftTable } from '../../src/report/renderTable';
import { providerUnderTest, startCatalogBackend } from '../support/catalogBackend';
import { RecordingLogger } from '../support/recordingLogger';
import { runCli } from '../support/builtCli';
import { useEmulator } from '../support/scanFixture';

const MAIN = { accessKeyId: 'AKIATESTSECRETS00001', secretAccessKey: 'main-secret-do-not-print' };
const role = (extra: Record<string, unknown> = {}) => ({ name: 'reader', ...extra });
const fleet = parseFleet({
  principals: [{ ...MAIN, accountId: '111111111111' }],
  accounts: [
    { id: '111111111111', roles: [role()], regions: { 'eu-west-1': { clusters: [{ name: 'a', services: [{ name: 's1' }, { name: 's2' }] }] }, 'us-east-1': { clusters: [{ name: 'b', services: [{ name: 's3' }] }] } } },
    { id: '222222222222', roles: [role()], regions: { 'eu-west-1': { clusters: [{ name: 'c', services: [{ name: 's4' }] }] } } },
    { id: '333333333333', roles: [role({ externalId: 'right-one' })], regions: { 'eu-west-1': { clusters: [{ name: 'd', services: [{ name: 's5' }] }] } } },
  ],
});

const config: JsonObject = {
  aws: {
    accountDefaults: { roleName: 'reader' },
    // A wrong external id: AssumeRole is refused with AWS's own message.
    accounts: [{ accountId: '333333333333', roleName: 'reader', externalId: 'wrong-one' }],
  },
  catalog: {
    providers: {
      awsEcs: {
        test: {
          accounts: ['111111111111', '222222222222', '333333333333'],
          regions: ['eu-west-1', 'us-east-1'],
          rateLimit: { perSecond: 1000, burst: 1000 },
          retry: { maxAttempts: 2, maxDelay: 'PT0.05S' },
          callTimeout: { milliseconds: 300 },
        },
      },
    },
  },
};

/** Everything a credential could leak through: key ids, secrets, tokens and the signing machinery. */
function expectNoSecrets(text: string, secrets: string[]) {
  for (const secret of secrets) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/);
  expect(text).not.toMatch(/Signature=|X-Amz-Security-Token|x-amz-security-token|Authorization:|AWS4-HMAC-SHA256 Credential/);
}

describe('no credential reaches a log line, an error or a report', () => {
  const getEmulator = useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('holds under denied accounts, refused roles, 5xx, timeouts and credentials expiring mid-scan', async () => {
    const emulator = getEmulator();
    emulator.setFaults({
      deniedAccounts: ['222222222222'],
      failingRegions: [{ accountId: '111111111111', region: 'us-east-1', status: 503 }],
    });
    let calls = 0;
    const unsubscribe = emulator.onRequest(info => {
      if (info.service === 'ecs' && ++calls === 2) emulator.expireAllSessions();
    });
    const logger = new RecordingLogger();
    let provider: AwsEcsEntityProvider | undefined;
    const backend = await startCatalogBackend({
      knex: await databases.init('SQLITE_3'),
      config,
      features: [providerUnderTest({ logger, onProvider: p => (provider = p) })],
    });
    try {
      const summary = await provider!.refresh();
      // The faults did happen, and were reported.
      expect(summary.failedShards.map(s => `${s.accountId}/${s.region}`).sort()).toEqual([
        '111111111111/us-east-1',
        '222222222222/eu-west-1',
        '222222222222/us-east-1',
        '333333333333/eu-west-1',
        '333333333333/us-east-1',
      ]);
      expect(emulator.stats.errors.ExpiredTokenException).toBeGreaterThanOrEqual(1);

      emulator.setFaults({ latencyMs: 500, deniedAccounts: [], failingRegions: [] });
      const slow = await provider!.refresh();
      expect(slow.failedShards.some(s => s.error?.name === 'TimeoutError')).toBe(true);

      const report = (await provider!.latestReport())!;
      const secrets = [MAIN.secretAccessKey, MAIN.accessKeyId, ...emulator.issuedSecrets()];
      expect(secrets.length).toBeGreaterThan(2);
      expectNoSecrets(logger.lines.join('\n'), secrets);
      expectNoSecrets(JSON.stringify([summary, slow]), secrets);
      for (const rendered of [JSON.stringify(report), renderDriftMarkdown(report), renderDriftTable(report), renderDriftHtml(report)]) {
        expectNoSecrets(rendered, secrets);
      }
      expect(logger.lines.join('\n')).toContain('not read, its entities kept');
    } finally {
      unsubscribe();
      emulator.setFaults({ latencyMs: 0, deniedAccounts: [], failingRegions: [] });
      await backend.stop();
    }
  });

  it('holds for the command line, on its output and its errors', async () => {
    const emulator = getEmulator();
    emulator.setFaults({ deniedAccounts: ['222222222222'] });
    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-secrets-'));
    const file = path.join(dir, 'app-config.yaml');
    writeFileSync(file, JSON.stringify(config));
    const entities = path.join(dir, 'entities.yaml');
    writeFileSync(entities, 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: x, annotations: { aws.amazon.com/amazon-ecs-service-arn: "arn:aws:ecs:eu-west-1:222222222222:service/c/s4" } }\nspec: { type: service, lifecycle: production, owner: team-a }\n');
    const env = { AWS_ENDPOINT_URL: emulator.url, AWS_ACCESS_KEY_ID: MAIN.accessKeyId, AWS_SECRET_ACCESS_KEY: MAIN.secretAccessKey, AWS_REGION: 'us-east-1' };
    try {
      for (const args of [
        ['scan', '--config', file, '--format', 'json'],
        ['drift', '--config', file, '--entities', entities, '--format', 'markdown'],
      ]) {
        const result = await runCli(args, env);
        expect(result.code).not.toBe(0);
        expectNoSecrets(`${result.stdout}\n${result.stderr}`, [MAIN.secretAccessKey, MAIN.accessKeyId, ...emulator.issuedSecrets()]);
      }
      // A wrong secret is refused by the signature check; neither secret is printed.
      const wrong = 'wrong-secret-do-not-print';
      const refused = await runCli(['scan', '--config', file, '--format', 'json'], { ...env, AWS_SECRET_ACCESS_KEY: wrong });
      expect(refused.code).toBe(2);
      expect(refused.stdout).toContain('SignatureDoesNotMatch');
      expectNoSecrets(`${refused.stdout}\n${refused.stderr}`, [wrong, MAIN.secretAccessKey, MAIN.accessKeyId, ...emulator.issuedSecrets()]);
    } finally {
      emulator.setFaults({ deniedAccounts: [] });
    }
  });
});
