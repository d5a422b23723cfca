import type { Config } from '@backstage/config';
import type { AccessConfig } from '../access/accessConfig';
import { passRoleProblem } from '../access/passRoles';
import { ConfigError } from './configError';
import { assertKnownKeys } from './readers';

export function readAccess(config: Config, path: string): AccessConfig {
  const access = config.getOptionalConfig('access');
  if (!access) return { passRoles: [] };
  const at = `${path}.access`;
  assertKnownKeys(access, at, ['passRoles']);
  const raw = access.getOptional('passRoles');
  if (raw === undefined) return { passRoles: [] };
  if (!Array.isArray(raw)) throw new ConfigError(`${at}.passRoles`, 'must be a list of IAM role ARNs, {team} and {accountId} filled in per policy');
  const passRoles = raw.map((value, i) => {
    const key = `${at}.passRoles[${i}]`;
    if (typeof value !== 'string') throw new ConfigError(key, `${JSON.stringify(value)} is not an IAM role ARN`);
    const problem = passRoleProblem(value);
    if (problem) throw new ConfigError(key, problem);
    return value;
  });
  return { passRoles: [...new Set(passRoles)] };
}
