import type { OperationAction } from './operationView';

/**
 * One review gate: the changes it matches and how many approvals they need.
 * A list left out matches anything; a gate matches when every list it has
 * holds the change's value.
 */
export interface GateConfig {
  /** Where it is in config, for the audit trail: `operations.gates[0]`. */
  name: string;
  lifecycles?: string[];
  actions?: OperationAction[];
  accounts?: string[];
  approvals: number;
}

/** ECS operations on the provider's services, behind review gates. */
export interface OperationsConfig {
  /** The role a change is executed as: `{accountId}` and `{team}` (the owning group's name) are filled in. */
  roleArn: string;
  /** Backstage's own IAM principal, the only one the operate roles trust (for `iam-policy --role-trust`). */
  principal?: string;
  /** Gates in order; the first that matches decides. */
  gates: GateConfig[];
  /** Approvals a change needs when no gate matches. */
  defaultApprovals: number;
  /** A request not approved within this long expires. */
  expireAfterMs: number;
  /** Bounds on scale's desired count. */
  scale: { min: number; max: number };
}
