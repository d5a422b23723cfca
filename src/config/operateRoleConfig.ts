import type { Config } from '@backstage/config';
import { operateRoleProblem } from '../access/operateRole';
import { backstagePrincipalProblem } from '../access/operateRoleTrust';
import { ConfigError } from './configError';

/** What `iam-policy --role-trust` reads of `operations`: the role template and who may assume it. */
export interface OperateRoleConfig {
  /** `operations.roleArn`: `{accountId}` and `{team}` filled in per team. */
  roleArn?: string;
  /** `operations.principal`: Backstage's own IAM role (or user), the only principal the operate roles trust. */
  principal?: string;
}

/**
 * Reads only the two keys the IAM output needs; the rest of `operations`
 * (gates, approvals) is the operations feature's to check.
 */
export function readOperateRole(config: Config, path: string): OperateRoleConfig | undefined {
  const operations = config.getOptionalConfig('operations');
  if (!operations) return undefined;
  const at = `${path}.operations`;
  const result: OperateRoleConfig = {};
  for (const [key, problemOf] of [
    ['roleArn', operateRoleProblem],
    ['principal', backstagePrincipalProblem],
  ] as const) {
    const value = operations.getOptional(key);
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new ConfigError(`${at}.${key}`, `${JSON.stringify(value)} is not an ARN`);
    const problem = problemOf(value);
    if (problem) throw new ConfigError(`${at}.${key}`, problem);
    result[key] = value;
  }
  return result;
}
