import { ConfigReader } from '@backstage/config';
import { parse } from 'yaml';
import { createCredentialsManager } from '../../src/config/awsConfig';
import { ConfigError } from '../../src/config/configError';
import { DEFAULT_SCHEDULE, readProviderConfigs } from '../../src/config/providerConfig';
import { DEFAULT_SCAN_TUNING } from '../../src/config/scanConfig';
import { defaultMappingOptions } from '../../src/mapping/mappingOptions';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function fromYaml(text: string) {
  return new ConfigReader(parse(text));
}

function providerError(yamlText: string): ConfigError {
  try {
    readProviderConfigs(fromYaml(yamlText));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('readProviderConfigs', () => {
  it('accepts accounts and regions alone and fills every other key with its default', () => {
    const [config] = readProviderConfigs(
      fromYaml(`
catalog:
  providers:
    awsEcs:
      production:
        accounts: ['012345678901', '111111111111']
        regions: [eu-west-1, us-gov-west-1]
`),
    );
    expect(config).toEqual({
      id: 'production',
      accounts: ['012345678901', '111111111111'],
      regions: ['eu-west-1', 'us-gov-west-1'],
      organization: undefined,
      tuning: DEFAULT_SCAN_TUNING,
      schedule: DEFAULT_SCHEDULE,
      mapping: defaultMappingOptions('production'),
      // One scan interval of the default schedule.
      removal: { gracePeriodMs: 30 * 60_000, maxFraction: 0.25, guard: true },
      scanGroups: 1,
      access: { passRoles: [] },
      notifications: { enabled: true },
    });
  });

  it('turns the notifications to owners off with notifications.enabled', () => {
    const read = (extra: string) =>
      readProviderConfigs(fromYaml(`
catalog:
  providers:
    awsEcs:
      p:
        accounts: ['111111111111']
        regions: [eu-west-1]
${extra}`))[0].notifications;
    expect(read('')).toEqual({ enabled: true });
    expect(read('        notifications: {}')).toEqual({ enabled: true });
    expect(read('        notifications: { enabled: false }')).toEqual({ enabled: false });
  });

  it('defaults the grace period to one scan interval and accepts PT0S', () => {
    const read = (extra: string) =>
      readProviderConfigs(
        fromYaml(`
catalog:
  providers:
    awsEcs:
      p:
        accounts: ['111111111111']
        regions: [eu-west-1]
        schedule: { frequency: { minutes: 15 }, timeout: { minutes: 5 } }
${extra}`),
      )[0].removal;
    expect(read('')).toEqual({ gracePeriodMs: 15 * 60_000, maxFraction: 0.25, guard: true });
    expect(read('        removal: { gracePeriod: PT0S, maxFraction: 0.5, guard: false }')).toEqual({ gracePeriodMs: 0, maxFraction: 0.5, guard: false });
    expect(read('        removal: { gracePeriod: P1D }').gracePeriodMs).toBe(86_400_000);
    // Backstage's other duration forms, as for every duration of this config.
    expect(read('        removal: { gracePeriod: 30s }').gracePeriodMs).toBe(30_000);
    expect(read('        removal: { gracePeriod: { minutes: 5 } }').gracePeriodMs).toBe(300_000);
    expect(read('        removal: { gracePeriod: { seconds: 0 } }').gracePeriodMs).toBe(0);
  });

  it('reads tag keys, defaults and rules, inline and from a file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-rules-'));
    const file = path.join(dir, 'rules.yaml');
    writeFileSync(file, 'rules:\n  - name: from-file\n    match: { tag: { key: env } }\n    set: { lifecycle: experimental }\n');
    const [config] = readProviderConfigs(
      fromYaml(`
catalog:
  providers:
    awsEcs:
      p:
        accounts: ['111111111111']
        regions: [eu-west-1]
        mapping:
          tagKeys: { owner: [squad, owner] }
          defaults: { owner: group:default/platform, lifecycle: experimental, namespace: ecs }
          rules:
            - name: payments
              match: { accountId: '111111111111', cluster: 'pay*', service: '/^checkout-(api|web)$/' }
              set: { owner: team-payments, system: payments, labels: { tier: gold } }
          rulesFile: ${file}
`),
    );
    expect(config.mapping.tagKeys.owner).toEqual(['squad', 'owner']);
    expect(config.mapping.tagKeys.system).toEqual(['system']);
    expect(config.mapping.defaults).toEqual({ owner: 'group:default/platform', lifecycle: 'experimental', namespace: 'ecs' });
    expect(config.mapping.rules.map(r => r.label)).toEqual(['payments', 'from-file']);
    expect(config.mapping.rules[0].match.cluster!.test('payments')).toBe(true);
    expect(config.mapping.rules[0].match.service!.test('checkout-api')).toBe(true);
    expect(config.mapping.rules[0].match.service!.test('checkout-apix')).toBe(false);
  });

  it('reads tuning, organization discovery and the schedule', () => {
    const [config] = readProviderConfigs(
      fromYaml(`
catalog:
  providers:
    awsEcs:
      org:
        regions: [eu-west-1]
        organization: { managementAccountId: '999999999999', exclude: ['000000000001'] }
        concurrency: { shards: 2, callsPerShard: 3 }
        rateLimit: { perSecond: 5.5, burst: 10 }
        retry: { maxAttempts: 4, maxDelay: PT2S }
        callTimeout: { seconds: 7 }
        schedule: { frequency: { minutes: 30 }, timeout: { minutes: 10 }, initialDelay: { seconds: 15 } }
`),
    );
    expect(config.accounts).toEqual([]);
    expect(config.organization).toEqual({ managementAccountId: '999999999999', include: [], exclude: ['000000000001'] });
    expect(config.tuning).toEqual({
      concurrency: { shards: 2, callsPerShard: 3 },
      rateBudget: 0.5,
      rateLimit: { perSecond: 5.5, burst: 10 },
      retry: { maxAttempts: 4, maxDelayMs: 2000 },
      callTimeoutMs: 7000,
    });
    expect(config.schedule).toMatchObject({ frequency: { minutes: 30 }, timeout: { minutes: 10 } });
  });

  it('by default takes half of each of ECS buckets per shard, with as many shards at once as the machine allows', () => {
    const [config] = readProviderConfigs(fromYaml(base("        accounts: ['111111111111']\n        regions: [eu-west-1]")));
    expect(config.tuning).toEqual(DEFAULT_SCAN_TUNING);
    expect(config.tuning).toMatchObject({ concurrency: { shards: 'auto', callsPerShard: 4 }, rateBudget: 0.5 });
    expect(config.tuning.rateLimit).toBeUndefined();
  });

  it('reads another rateBudget, and shards: auto', () => {
    const [config] = readProviderConfigs(
      fromYaml(base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        rateBudget: 0.25\n        concurrency: { shards: auto }")),
    );
    expect(config.tuning).toMatchObject({ rateBudget: 0.25, concurrency: { shards: 'auto', callsPerShard: 4 } });
  });

  it('returns no providers when the block is absent', () => {
    expect(readProviderConfigs(fromYaml('catalog: {}'))).toEqual([]);
  });

  const base = (extra: string) => `
catalog:
  providers:
    awsEcs:
      prod:
${extra}`;

  it.each([
    ['missing regions', base("        accounts: ['111111111111']"), 'catalog.providers.awsEcs.prod.regions', /required/],
    ['empty regions', base("        accounts: ['111111111111']\n        regions: []"), 'catalog.providers.awsEcs.prod.regions', /required/],
    ['malformed region', base("        accounts: ['111111111111']\n        regions: [Europe]"), 'catalog.providers.awsEcs.prod.regions[0]', /not an AWS region/],
    ['missing accounts', base('        regions: [eu-west-1]'), 'catalog.providers.awsEcs.prod.accounts', /required/],
    ['account id too short', base("        accounts: ['12345']\n        regions: [eu-west-1]"), 'catalog.providers.awsEcs.prod.accounts[0]', /12 digits/],
    ['account id with letters', base("        accounts: ['11111111111a']\n        regions: [eu-west-1]"), 'catalog.providers.awsEcs.prod.accounts[0]', /12 digits/],
    ['unquoted account id', base('        accounts: [12345678901]\n        regions: [eu-west-1]'), 'catalog.providers.awsEcs.prod.accounts[0]', /quoted strings/],
    ['duplicate account', base("        accounts: ['111111111111', '111111111111']\n        regions: [eu-west-1]"), 'catalog.providers.awsEcs.prod.accounts', /listed twice/],
    ['unknown key', base("        accounts: ['111111111111']\n        regoins: [eu-west-1]\n        regions: [eu-west-1]"), 'catalog.providers.awsEcs.prod.regoins', /did you mean 'regions'/],
    ['unknown nested key', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        rateLimit: { rps: 3 }"), 'catalog.providers.awsEcs.prod.rateLimit.rps', /unknown key/],
    ['budget of zero', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        rateBudget: 0"), 'catalog.providers.awsEcs.prod.rateBudget', /greater than 0 and at most 1/],
    ['budget above one', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        rateBudget: 1.5"), 'catalog.providers.awsEcs.prod.rateBudget', /greater than 0 and at most 1/],
    ['budget as text', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        rateBudget: half"), 'catalog.providers.awsEcs.prod.rateBudget', /greater than 0 and at most 1/],
    ['budget and rate limit', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        rateBudget: 0.5\n        rateLimit: { perSecond: 5 }"), 'catalog.providers.awsEcs.prod.rateLimit', /either rateBudget .* or rateLimit/],
    ['shards neither a number nor auto', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        concurrency: { shards: many }"), 'catalog.providers.awsEcs.prod.concurrency.shards', /'auto' or a whole number/],
    ['zero concurrency', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        concurrency: { shards: 0 }"), 'catalog.providers.awsEcs.prod.concurrency.shards', /at least 1/],
    ['bad duration', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        callTimeout: soon"), 'catalog.providers.awsEcs.prod.callTimeout', /duration/],
    ['schedule without timeout', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        schedule: { frequency: { minutes: 5 } }"), 'catalog.providers.awsEcs.prod.schedule', /timeout/],
    ['bad grace period', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        removal: { gracePeriod: ten minutes }"), 'catalog.providers.awsEcs.prod.removal.gracePeriod', /not a duration/],
    ['negative grace period', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        removal: { gracePeriod: -PT1M }"), 'catalog.providers.awsEcs.prod.removal.gracePeriod', /not a duration|negative/],
    ['fraction above one', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        removal: { maxFraction: 2 }"), 'catalog.providers.awsEcs.prod.removal.maxFraction', /from 0 to 1/],
    ['unknown mapping key', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        mapping: { owners: [a] }"), 'catalog.providers.awsEcs.prod.mapping.owners', /unknown key/],
    ['bad default owner', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        mapping: { defaults: { owner: 'Team Payments' } }"), 'catalog.providers.awsEcs.prod.mapping.defaults.owner', /entity reference/],
    ['rule without match', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        mapping: { rules: [{ name: broad, match: {}, set: { owner: a } }] }"), 'catalog.providers.awsEcs.prod.mapping.rules[0] (broad).match', /at least one condition/],
    ['rule with a misspelt condition', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        mapping: { rules: [{ name: typo, match: { clustr: 'pay*' }, set: { owner: a } }] }"), 'catalog.providers.awsEcs.prod.mapping.rules[0] (typo).match.clustr', /did you mean 'cluster'/],
    ['rule with a bad regex', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        mapping: { rules: [{ name: re, match: { service: '/(/' }, set: { owner: a } }] }"), 'catalog.providers.awsEcs.prod.mapping.rules[0] (re).match.service', /regular expression/],
    ['rule with an unquoted account', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        mapping: { rules: [{ match: { accountId: 12345678901 }, set: { owner: a } }] }"), 'catalog.providers.awsEcs.prod.mapping.rules[0].match.accountId', /quotes/],
    ['rule setting a bad label', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        mapping: { rules: [{ name: l, match: { region: eu-west-1 }, set: { labels: { tier: 'gold plated' } } }] }"), 'catalog.providers.awsEcs.prod.mapping.rules[0] (l).set.labels.tier', /label value/],
    ['unreadable rules file', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        mapping: { rulesFile: /nonexistent/rules.yaml }"), 'catalog.providers.awsEcs.prod.mapping.rulesFile', /cannot read/],
    ['pass role that is no role ARN', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        access: { passRoles: ['arn:aws:iam::{accountId}:role/ok-{team}', 'arn:aws:s3:::bucket'] }"), 'catalog.providers.awsEcs.prod.access.passRoles[1]', /not an IAM role ARN/],
    ['pass role with every role', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        access: { passRoles: ['arn:aws:iam::{accountId}:role/*'] }"), 'catalog.providers.awsEcs.prod.access.passRoles[0]', /every role of the account/],
    ['pass role with an unknown placeholder', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        access: { passRoles: ['arn:aws:iam::{accountId}:role/ecs-{owner}'] }"), 'catalog.providers.awsEcs.prod.access.passRoles[0]', /unknown placeholder \{owner\}/],
    [
      'operations principal that is a session',
      base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        operations: { roleArn: 'arn:aws:iam::{accountId}:role/ecs-operate-{team}', principal: 'arn:aws:sts::999999999999:assumed-role/backstage/i-1' }"),
      'catalog.providers.awsEcs.prod.operations.principal',
      /session of a role; trust the role itself/,
    ],
    [
      'operations role for every team',
      base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        operations: { roleArn: 'arn:aws:iam::{accountId}:role/ecs-operate' }"),
      'catalog.providers.awsEcs.prod.operations.roleArn',
      /names no \{team\}/,
    ],
    ['unknown access key', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        access: { passRole: [] }"), 'catalog.providers.awsEcs.prod.access.passRole', /did you mean 'passRoles'/],
    ['notifications enabled as a string', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        notifications: { enabled: 'no' }"), 'catalog.providers.awsEcs.prod.notifications.enabled', /true or false/],
    ['unknown notifications key', base("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        notifications: { enable: false }"), 'catalog.providers.awsEcs.prod.notifications.enable', /did you mean 'enabled'/],
    ['bad management account', base("        regions: [eu-west-1]\n        organization: { managementAccountId: 'abc' }"), 'catalog.providers.awsEcs.prod.organization.managementAccountId', /12 digits/],
  ])('%s fails at start-up naming the key', (_name, yamlText, key, problem) => {
    const error = providerError(yamlText);
    expect(error.key).toBe(key);
    expect(error.message).toContain(key);
    expect(error.message).toMatch(problem);
  });

  it('reads the operate role template and the principal it trusts, leaving the rest of operations to the operations feature', () => {
    const [provider] = readProviderConfigs(
      fromYaml(
        base(
          "        accounts: ['111111111111']\n        regions: [eu-west-1]\n        operations:\n          roleArn: arn:aws:iam::{accountId}:role/ecs-operate-{team}\n          principal: arn:aws:iam::999999999999:role/backstage\n          defaultApprovals: 1",
        ),
      ),
    );
    expect(provider.operations).toMatchObject({ roleArn: 'arn:aws:iam::{accountId}:role/ecs-operate-{team}', principal: 'arn:aws:iam::999999999999:role/backstage' });
    const [without] = readProviderConfigs(fromYaml(base("        accounts: ['111111111111']\n        regions: [eu-west-1]")));
    expect(without.operations).toBeUndefined();
  });

  it('refuses a provider id that cannot name a provider', () => {
    const error = providerError(base("        accounts: ['111111111111']\n        regions: [eu-west-1]").replace('prod:', '"bad id":'));
    expect(error.key).toBe('catalog.providers.awsEcs.bad id');
  });
});

describe('createCredentialsManager', () => {
  function awsError(yamlText: string): ConfigError {
    try {
      createCredentialsManager(fromYaml(yamlText));
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error('expected a ConfigError');
  }

  it.each([
    ['externalId without roleName', "aws:\n  accounts:\n    - { accountId: '111111111111', externalId: abc }", 'aws.accounts[0].externalId'],
    ['webIdentityTokenFile without roleName', "aws:\n  accountDefaults: { webIdentityTokenFile: /tmp/t }", 'aws.accountDefaults.webIdentityTokenFile'],
    ['externalId with web identity', "aws:\n  accounts:\n    - { accountId: '111111111111', roleName: r, externalId: a, webIdentityTokenFile: /tmp/t }", 'aws.accounts[0].externalId'],
    ['unquoted account id', "aws:\n  accounts:\n    - { accountId: 12345678901, roleName: r }", 'aws.accounts[0].accountId'],
    ['duplicate account', "aws:\n  accounts:\n    - { accountId: '111111111111', roleName: r }\n    - { accountId: '111111111111', roleName: s }", 'aws.accounts[1].accountId'],
    ['unknown key', "aws:\n  accounts:\n    - { accountId: '111111111111', role: r }", 'aws.accounts[0].role'],
    ['access key without secret', "aws:\n  accounts:\n    - { accountId: '111111111111', accessKeyId: AKIAEXAMPLE }", 'aws'],
  ])('%s fails naming the key', (_name, yamlText, key) => {
    const error = awsError(yamlText);
    expect(error.key).toBe(key);
    expect(error.message).toContain(key);
  });

  it('builds a manager from a config with roles and no static keys', () => {
    expect(() =>
      createCredentialsManager(
        fromYaml("aws:\n  accountDefaults: { roleName: reader, externalId: x }\n  accounts:\n    - { accountId: '111111111111', roleName: r }"),
      ),
    ).not.toThrow();
  });
});
