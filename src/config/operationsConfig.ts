import type { Config } from '@backstage/config';
import type { GateConfig, OperationsConfig } from '../gate/gateConfig';
import { OPERATION_ACTIONS, type OperationAction } from '../gate/operationView';
import { DEFAULT_OPERATE_ROLE_ARN, operateRoleProblem } from '../access/operateRole';
import { backstagePrincipalProblem } from '../access/operateRoleTrust';
import { ConfigError } from './configError';
import { assertKnownKeys, readAccountId, readDurationMs } from './readers';

export type { GateConfig, OperationsConfig };

const OPERATIONS_KEYS = ['roleArn', 'principal', 'gates', 'defaultApprovals', 'expireAfter', 'scale'] as const;
const GATE_KEYS = ['lifecycle', 'action', 'account', 'approvals'] as const;
const DEFAULT_EXPIRE_AFTER_MS = 4 * 60 * 60 * 1000;
const MAX_EXPIRE_AFTER_MS = 7 * 24 * 60 * 60 * 1000;
/** ECS's own ceiling on a service's desired count. */
export const ECS_MAX_DESIRED_COUNT = 5000;
const MAX_APPROVALS = 5;

/** `<path>.operations`; undefined when absent: a provider without it offers no operations. */
export function readOperations(config: Config, path: string): OperationsConfig | undefined {
  const operations = config.getOptionalConfig('operations');
  if (!operations) return undefined;
  const at = `${path}.operations`;
  assertKnownKeys(operations, at, OPERATIONS_KEYS);

  const roleArn = operations.getOptional('roleArn');
  if (typeof roleArn !== 'string') throw new ConfigError(`${at}.roleArn`, `is required: the teams' operate role, such as ${DEFAULT_OPERATE_ROLE_ARN}`);
  const roleProblem = operateRoleProblem(roleArn);
  if (roleProblem) throw new ConfigError(`${at}.roleArn`, roleProblem);
  const principal = operations.getOptional('principal');
  if (principal !== undefined) {
    const problem = typeof principal === 'string' ? backstagePrincipalProblem(principal) : `${JSON.stringify(principal)} is not an ARN`;
    if (problem) throw new ConfigError(`${at}.principal`, problem);
  }

  const expireAfterMs = readDurationMs(operations, 'expireAfter', at, DEFAULT_EXPIRE_AFTER_MS);
  if (expireAfterMs > MAX_EXPIRE_AFTER_MS) throw new ConfigError(`${at}.expireAfter`, 'must be at most seven days: an approval should judge the service as it is');

  return {
    roleArn,
    ...(typeof principal === 'string' ? { principal } : {}),
    gates: readGates(operations, at),
    defaultApprovals: readApprovals(operations.getOptional('defaultApprovals') ?? 1, `${at}.defaultApprovals`),
    expireAfterMs,
    scale: readScale(operations, at),
  };
}

function readGates(operations: Config, at: string): GateConfig[] {
  if (!operations.has('gates')) return [];
  const raw = operations.getOptional('gates');
  if (!Array.isArray(raw)) throw new ConfigError(`${at}.gates`, 'must be a list of gates such as { lifecycle: [production], approvals: 1 }');
  return operations.getConfigArray('gates').map((gate, i) => {
    const gateAt = `${at}.gates[${i}]`;
    assertKnownKeys(gate, gateAt, GATE_KEYS);
    if (!gate.has('approvals')) throw new ConfigError(`${gateAt}.approvals`, 'is required: how many approvals the changes this gate matches need (0 for none)');
    const lifecycles = readStrings(gate, 'lifecycle', gateAt);
    const actions = readStrings(gate, 'action', gateAt);
    for (const [j, action] of (actions ?? []).entries()) {
      if (!(OPERATION_ACTIONS as readonly string[]).includes(action)) {
        throw new ConfigError(`${gateAt}.action[${j}]`, `'${action}' is no operation; the operations are ${OPERATION_ACTIONS.join(', ')}`);
      }
    }
    const accountsRaw = gate.getOptional('account');
    let accounts: string[] | undefined;
    if (accountsRaw !== undefined) {
      const list = Array.isArray(accountsRaw) ? accountsRaw : [accountsRaw];
      accounts = list.map((value, j) => readAccountId(value, `${gateAt}.account${Array.isArray(accountsRaw) ? `[${j}]` : ''}`));
    }
    return {
      name: `operations.gates[${i}]`,
      ...(lifecycles ? { lifecycles } : {}),
      ...(actions ? { actions: actions as OperationAction[] } : {}),
      ...(accounts ? { accounts } : {}),
      approvals: readApprovals(gate.getOptional('approvals'), `${gateAt}.approvals`),
    };
  });
}

/** A string or a list of them; a lone string reads as a list of one. */
function readStrings(config: Config, key: string, at: string): string[] | undefined {
  const raw = config.getOptional(key);
  if (raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0 || list.some(v => typeof v !== 'string' || v.trim() === '')) {
    throw new ConfigError(`${at}.${key}`, 'must be a name or a non-empty list of names');
  }
  return (list as string[]).map(v => v.trim());
}

function readApprovals(value: unknown, key: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_APPROVALS) {
    throw new ConfigError(key, `must be a whole number from 0 to ${MAX_APPROVALS}`);
  }
  return value;
}

function readScale(operations: Config, at: string): { min: number; max: number } {
  const scale = operations.getOptionalConfig('scale');
  if (!scale) return { min: 0, max: 10 };
  assertKnownKeys(scale, `${at}.scale`, ['min', 'max']);
  const read = (key: 'min' | 'max', fallback: number) => {
    const value = scale.getOptional(key) ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > ECS_MAX_DESIRED_COUNT) {
      throw new ConfigError(`${at}.scale.${key}`, `must be a whole number from 0 to ${ECS_MAX_DESIRED_COUNT}`);
    }
    return value;
  };
  const min = read('min', 0);
  const max = read('max', 10);
  if (min > max) throw new ConfigError(`${at}.scale`, `min (${min}) is above max (${max})`);
  return { min, max };
}
