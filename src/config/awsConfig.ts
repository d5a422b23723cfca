import { Config } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { ConfigError } from './configError';
import { readAccountId } from './readers';

/**
 * Checks the `aws` block with messages that name the exact key, then builds
 * Backstage's own credentials manager from it. The manager is the only place
 * credentials come from: AssumeRole (with ExternalId) or web identity per
 * account, on top of whatever temporary credentials the main account has.
 */
export function createCredentialsManager(root: Config): DefaultAwsCredentialsManager {
  validateAwsConfig(root);
  try {
    return DefaultAwsCredentialsManager.fromConfig(root);
  } catch (error) {
    throw new ConfigError('aws', (error as Error).message);
  }
}

const ACCOUNT_KEYS = [
  'accountId',
  'roleName',
  'externalId',
  'partition',
  'region',
  'webIdentityTokenFile',
  'accessKeyId',
  'secretAccessKey',
  'profile',
];

export function validateAwsConfig(root: Config): void {
  const aws = root.getOptionalConfig('aws');
  if (!aws) return;
  const accounts = aws.getOptionalConfigArray('accounts') ?? [];
  const seen = new Map<string, number>();
  accounts.forEach((account, i) => {
    const path = `aws.accounts[${i}]`;
    for (const key of account.keys()) {
      if (!ACCOUNT_KEYS.includes(key)) {
        throw new ConfigError(`${path}.${key}`, `unknown key; known keys are ${ACCOUNT_KEYS.join(', ')}`);
      }
    }
    if (!account.has('accountId')) throw new ConfigError(`${path}.accountId`, 'required');
    const accountId = readAccountId(account.getOptional('accountId'), `${path}.accountId`);
    const earlier = seen.get(accountId);
    if (earlier !== undefined) {
      throw new ConfigError(`${path}.accountId`, `account ${accountId} is already configured at aws.accounts[${earlier}]`);
    }
    seen.set(accountId, i);
    checkRoleDependents(account, path, `account ${accountId}`);
  });
  const defaults = aws.getOptionalConfig('accountDefaults');
  if (defaults) checkRoleDependents(defaults, 'aws.accountDefaults', 'the account defaults');
}

function checkRoleDependents(config: Config, path: string, what: string): void {
  const hasRole = config.has('roleName');
  for (const key of ['externalId', 'webIdentityTokenFile', 'partition', 'region']) {
    if (config.has(key) && !hasRole) {
      throw new ConfigError(`${path}.${key}`, `is set for ${what} but ${path}.roleName is not; ${key} only applies when a role is assumed`);
    }
  }
  if (config.has('externalId') && config.has('webIdentityTokenFile')) {
    throw new ConfigError(`${path}.externalId`, `cannot be combined with ${path}.webIdentityTokenFile: AssumeRoleWithWebIdentity takes no external id`);
  }
}

/**
 * Static keys in the config work (Backstage accepts them), but they are
 * long-lived secrets in a file: said at start-up, naming each key, so a
 * security review finds them without reading the config.
 */
export function staticKeyWarnings(root: Config): string[] {
  const aws = root.getOptionalConfig('aws');
  if (!aws) return [];
  const places = [
    ...(aws.getOptionalConfig('mainAccount')?.has('accessKeyId') ? ['aws.mainAccount.accessKeyId'] : []),
    ...(aws.getOptionalConfigArray('accounts') ?? []).flatMap((account, i) => (account.has('accessKeyId') ? [`aws.accounts[${i}].accessKeyId`] : [])),
  ];
  return places.map(place => `${place} configures static access keys; prefer a role (roleName) or temporary credentials from the default chain or web identity`);
}
