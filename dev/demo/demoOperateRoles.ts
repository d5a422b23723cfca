import { parseEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { ownedServicesOf, type OwnedService } from '../../src/access/ownedServices';
import { operateRolesFor } from '../../src/access/operateRoles';
import { buildTeamPolicies } from '../../src/access/teamPolicies';
import { analyseFleet } from '../../src/analysis/analyseFleet';
import { loadEntitiesFile } from '../../src/cli/loadEntities';
import { scanProvider } from '../../src/cli/scanCommand';
import { readProviderConfigs } from '../../src/config/providerConfig';
import type { RoleSpec } from '../emulator/fleet';

/** One team's operate role in one account, as the emulator takes it. */
export interface DemoOperateRole {
  accountId: string;
  team: string;
  role: RoleSpec;
}

/**
 * The operate role of every team in every account where it owns a live
 * service, for each provider of `root` with `operations`: the trust policy
 * and the operate policies exactly as `ecs-catalog-sync iam-policy --config
 * <file> --entities <entitiesFile> --team <team> --profile operate
 * --role-trust` prints them (the same scan, the same analysis, the same pure
 * builders). Reads the fleet through the AWS SDK, so the environment must
 * point at the emulator. Emulator-only: against AWS an administrator creates
 * these roles from the command's output.
 */
export async function demoOperateRoles(root: Config, entitiesFile: string): Promise<DemoOperateRole[]> {
  const entities = await loadEntitiesFile(entitiesFile);
  const roles: DemoOperateRole[] = [];
  for (const provider of readProviderConfigs(root)) {
    const operations = provider.operations;
    // Without a principal no trust policy can be written, and `iam-policy --role-trust` would refuse too.
    if (!operations?.principal) continue;
    const inventory = await scanProvider(root, provider);
    const { mapped } = await analyseFleet({ inventory, entities, mapping: provider.mapping, now: new Date() });
    const services = ownedServicesOf(mapped.entities);
    for (const team of teamsOf(services)) {
      const { policies } = buildTeamPolicies({ services, team, profile: 'operate', passRoles: provider.access.passRoles });
      for (const role of operateRolesFor(team, policies, { principal: operations.principal, roleArn: operations.roleArn })) {
        roles.push({
          accountId: role.accountId,
          team,
          role: {
            // IAM names a role by the ARN's last part; a path before it is not part of the name.
            name: role.arn.slice(role.arn.lastIndexOf('/') + 1),
            trustPolicy: role.trustPolicy as RoleSpec['trustPolicy'],
            policies: policies.filter(p => role.attach.includes(p.name)).map(p => p.document) as RoleSpec['policies'],
          },
        });
      }
    }
  }
  return roles;
}

/** The groups that own a service; a service owned by a user has no team role. */
function teamsOf(services: readonly OwnedService[]): string[] {
  return [...new Set(services.map(s => s.owner))].filter(owner => parseEntityRef(owner).kind.toLowerCase() === 'group').sort();
}
