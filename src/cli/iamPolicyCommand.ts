import { parseArgs } from 'node:util';
import { DEFAULT_OPERATE_ROLE_ARN, operateRoleProblem } from '../access/operateRole';
import { operateRolesFor, type OperateRoleRequest } from '../access/operateRoles';
import { backstagePrincipalProblem } from '../access/operateRoleTrust';
import { buildTeamPolicies, PolicyError } from '../access/teamPolicies';
import type { EcsProviderConfig } from '../config/providerConfig';
import { explainNoServices, fleetOwnership, OWNERSHIP_OPTIONS } from './fleetOwnership';
import { EXIT_INCOMPLETE, EXIT_OK } from './exitCodes';
import { isComplete } from './scanCommand';
import { UsageError } from './usageError';

export const IAM_POLICY_USAGE =
  'ecs-catalog-sync iam-policy --config <app-config.yaml> [--entities <file> | --catalog-url <url> [--token <token>]] --team <entity-ref> --profile read|operate|deploy [--account <id>] [--provider <id>] [--role-trust [--backstage-principal <arn>] [--role-arn <template>]]';

const OPTIONS = {
  ...OWNERSHIP_OPTIONS,
  'role-trust': { type: 'boolean' },
  'backstage-principal': { type: 'string' },
  'role-arn': { type: 'string' },
} as const;

/**
 * Prints the team's least-privilege IAM policies as JSON:
 * `{ team, profile, policies: [{ accountId, name, document }] }`; with
 * `--role-trust` also `roles: [{ accountId, arn, trustPolicy, attach }]`, the
 * operate role of each account the team has services in.
 *
 * Exit codes: 0 the whole scope was read; 2 some scope could not be read (the
 * policies then cover only what was read, so they may miss services), or the
 * command could not run.
 */
export async function iamPolicyCommand(argv: string[], out: (text: string) => void, err: (text: string) => void = text => process.stderr.write(`${text}\n`)): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (!values['role-trust'] && (values['backstage-principal'] !== undefined || values['role-arn'] !== undefined)) {
    throw new UsageError(`--backstage-principal and --role-arn only go with --role-trust\nusage: ${IAM_POLICY_USAGE}`);
  }
  let role: OperateRoleRequest | undefined;
  const ownership = await fleetOwnership(values, IAM_POLICY_USAGE, provider => {
    if (values['role-trust']) role = operateRoleOptions(values, provider);
  });
  let policies;
  try {
    policies = buildTeamPolicies({
      services: ownership.services,
      team: ownership.team,
      profile: ownership.profile,
      accountId: ownership.accountId,
      passRoles: ownership.provider.access.passRoles,
    });
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(error.message);
    throw error;
  }
  explainNoServices(ownership, err);
  warnAboutAttachments(policies.policies, err);
  let roles;
  try {
    roles = role ? operateRolesFor(policies.team, policies.policies, role) : undefined;
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(`--role-arn or operations.roleArn: ${error.message}`);
    throw error;
  }
  out(JSON.stringify(roles ? { ...policies, roles } : policies, null, 2));
  if (isComplete(ownership.inventory)) return EXIT_OK;
  err('warning: some accounts or regions could not be read; the policies cover only the services that were read');
  return EXIT_INCOMPLETE;
}

/** Flags win over `operations` in the provider's config; each problem names the flag and the key. */
function operateRoleOptions(values: { profile?: string; 'backstage-principal'?: string; 'role-arn'?: string }, provider: EcsProviderConfig): OperateRoleRequest {
  if (values.profile !== 'operate') {
    throw new UsageError(`--role-trust is for the operate role, whose permissions are the operate profile: use --profile operate, not '${values.profile}'`);
  }
  const principalKey = `catalog.providers.awsEcs.${provider.id}.operations.principal`;
  const principal = values['backstage-principal'] ?? provider.operations?.principal;
  if (principal === undefined) {
    throw new UsageError(`--role-trust needs the principal Backstage runs as: give --backstage-principal <arn>, such as arn:aws:iam::111111111111:role/backstage, or set ${principalKey}`);
  }
  const principalProblem = backstagePrincipalProblem(principal);
  if (principalProblem) throw new UsageError(`--backstage-principal ${principalProblem}`);
  const roleArn = values['role-arn'] ?? provider.operations?.roleArn ?? DEFAULT_OPERATE_ROLE_ARN;
  const roleProblem = operateRoleProblem(roleArn);
  if (roleProblem) throw new UsageError(`--role-arn ${roleProblem}`);
  return { principal, roleArn };
}

/** IAM attaches at most this many managed policies to a role unless the quota is raised (to 20). */
const MANAGED_POLICIES_PER_ROLE = 10;

function warnAboutAttachments(policies: Array<{ accountId: string }>, err: (text: string) => void): void {
  const perAccount = new Map<string, number>();
  for (const p of policies) perAccount.set(p.accountId, (perAccount.get(p.accountId) ?? 0) + 1);
  for (const [accountId, count] of perAccount) {
    if (count > MANAGED_POLICIES_PER_ROLE) {
      err(
        `warning: account ${accountId} needs ${count} documents; IAM attaches at most ${MANAGED_POLICIES_PER_ROLE} managed policies to a role unless the quota is raised (to 20): split the team's role, or raise the quota`,
      );
    }
  }
}
