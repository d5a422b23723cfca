import { teamOperateRoleArn } from './operateRole';
import { operateRoleTrust } from './operateRoleTrust';
import type { PolicyDocument } from './policyDocument';
import { PolicyError, type AccountPolicy } from './teamPolicies';

/** The team's operate role in one account: what to create, trust and attach. */
export interface OperateRoleOutput {
  accountId: string;
  arn: string;
  trustPolicy: PolicyDocument;
  /** The names of the account's `policies` entries, to attach to the role. */
  attach: string[];
}

export interface OperateRoleRequest {
  /** Backstage's own principal, the only one the role trusts. */
  principal: string;
  /** The role ARN template, `{accountId}` and `{team}` filled in. */
  roleArn: string;
}

/** One operate role per account the team's operate policies cover, in their order. Pure. */
export function operateRolesFor(team: string, policies: readonly AccountPolicy[], request: OperateRoleRequest): OperateRoleOutput[] {
  const accounts = [...new Set(policies.map(p => p.accountId))];
  const trustPolicy = operateRoleTrust(team, request.principal);
  return accounts.map(accountId => {
    const arn = teamOperateRoleArn(request.roleArn, team, accountId);
    const roleAccount = arn.split(':')[4];
    // ECS acts only on services of the role's own account.
    if (roleAccount !== accountId) {
      throw new PolicyError(`the role template ${request.roleArn} names a role in account ${roleAccount}, but ${team} has services in account ${accountId}: write {accountId} in its place`);
    }
    return { accountId, arn, trustPolicy, attach: policies.filter(p => p.accountId === accountId).map(p => p.name) };
  });
}
