import { parseArgs } from 'node:util';
import { buildTeamPolicies, PolicyError } from '../access/teamPolicies';
import { explainNoServices, fleetOwnership, OWNERSHIP_OPTIONS } from './fleetOwnership';
import { EXIT_INCOMPLETE, EXIT_OK } from './exitCodes';
import { isComplete } from './scanCommand';
import { UsageError } from './usageError';

export const IAM_POLICY_USAGE =
  'ecs-catalog-sync iam-policy --config <app-config.yaml> [--entities <file> | --catalog-url <url> [--token <token>]] --team <entity-ref> --profile read|operate|deploy [--account <id>] [--provider <id>]';

/**
 * Prints the team's least-privilege IAM policies as JSON:
 * `{ team, profile, policies: [{ accountId, name, document }] }`.
 *
 * Exit codes: 0 the whole scope was read; 2 some scope could not be read (the
 * policies then cover only what was read, so they may miss services), or the
 * command could not run.
 */
export async function iamPolicyCommand(argv: string[], out: (text: string) => void, err: (text: string) => void = text => process.stderr.write(`${text}\n`)): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OWNERSHIP_OPTIONS, strict: true });
  const ownership = await fleetOwnership(values, IAM_POLICY_USAGE);
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
  out(JSON.stringify(policies, null, 2));
  if (isComplete(ownership.inventory)) return EXIT_OK;
  err('warning: some accounts or regions could not be read; the policies cover only the services that were read');
  return EXIT_INCOMPLETE;
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
