import type { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION, type Entity } from '@backstage/catalog-model';
import { providerLocation } from '../mapping/ecsServiceEntity';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ConflictError, InputError } from '@backstage/errors';
import type express from 'express';
import Router from 'express-promise-router';
import { ownedServicesOf, teamRef } from '../access/ownedServices';
import { DEFAULT_OPERATE_ROLE_ARN, operateRoleProblem } from '../access/operateRole';
import { operateRolesFor, type OperateRoleRequest } from '../access/operateRoles';
import { backstagePrincipalProblem } from '../access/operateRoleTrust';
import { ACCESS_PROFILES, isAccessProfile } from '../access/profiles';
import { buildTeamPolicies, PolicyError } from '../access/teamPolicies';
import { isAccountId } from '../config/readers';
import { ENTITY_TYPE } from '../mapping/annotations';
import type { DriftReportRegistry } from './driftReportRegistry';
import { chooseProvider, noStoreNoSniff, readOptionalString, sendJson } from './httpHelpers';

export interface IamPolicyRouterOptions {
  registry: Pick<DriftReportRegistry, 'providers' | 'access'>;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
}

/**
 * `GET /iam-policy?team=<entity ref>&profile=read|operate|deploy[&account=<id>][&provider=<id>][&roleTrust=true&principal=<arn>[&roleArn=<template>]]`:
 * the team's least-privilege IAM policies, the same JSON as
 * `ecs-catalog-sync iam-policy`, from the provider's entities in the catalog
 * (their owners are the reconciled ones). The catalog is read with the
 * caller's credentials, so a policy never names a service the caller may not see.
 */
export function createIamPolicyRouter({ registry, catalog, httpAuth, logger }: IamPolicyRouterOptions): express.Router {
  const router = Router();
  router.use(noStoreNoSniff);

  router.get('/iam-policy', async (req, res) => {
    const teamValue = readOptionalString(req.query.team);
    const team = typeof teamValue === 'string' ? teamRef(teamValue) : undefined;
    if (!team) throw new InputError('team must be given once, as an entity reference such as group:default/team-a');
    const profile = readOptionalString(req.query.profile);
    if (!isAccessProfile(profile)) throw new InputError(`profile must be one of ${ACCESS_PROFILES.join(', ')}`);
    const account = readOptionalString(req.query.account);
    if (account === null || (account !== undefined && !isAccountId(account))) {
      throw new InputError('account must be given at most once, as a 12-digit AWS account id');
    }
    const role = readOperateRole(req.query, profile);
    const provider = chooseProvider(registry.providers(), req.query.provider);
    const credentials = await httpAuth.credentials(req);
    let items: Entity[];
    try {
      ({ items } = await catalog.getEntities(
        {
          filter: {
            kind: 'Resource',
            'spec.type': ENTITY_TYPE,
            [`metadata.annotations.${ANNOTATION_LOCATION}`]: providerLocation(provider),
            'relations.ownedBy': team,
          },
          fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.annotations', 'spec.type', 'spec.owner'],
        },
        { credentials },
      ));
    } catch (error) {
      logger.error('Could not read the team’s ECS services for its IAM policies', error instanceof Error ? error : { error: String(error) });
      throw new Error('the IAM policies could not be made; the backend log says why');
    }
    try {
      const policies = buildTeamPolicies({ services: ownedServicesOf(items), team, profile, accountId: account, passRoles: registry.access(provider)?.passRoles ?? [] });
      sendJson(res, 200, role ? { ...policies, roles: operateRolesFor(policies.team, policies.policies, role) } : policies);
    } catch (error) {
      // A single service whose document outgrows IAM's limit: the message names it and the key to change.
      if (error instanceof PolicyError) throw new ConflictError(error.message);
      throw error;
    }
  });

  return router;
}

/** `roleTrust=true` with `principal` (and `roleArn`, else the default template), as `iam-policy --role-trust` takes them. */
function readOperateRole(query: Record<string, unknown>, profile: string): OperateRoleRequest | undefined {
  const roleTrust = readOptionalString(query.roleTrust);
  const principal = readOptionalString(query.principal);
  const roleArn = readOptionalString(query.roleArn);
  if (roleTrust === undefined || roleTrust === 'false') {
    if (principal !== undefined || roleArn !== undefined) throw new InputError('principal and roleArn only go with roleTrust=true');
    return undefined;
  }
  if (roleTrust !== 'true') throw new InputError('roleTrust must be given at most once, as true or false');
  if (profile !== 'operate') throw new InputError(`roleTrust is for the operate role, whose permissions are the operate profile: use profile=operate, not '${profile}'`);
  if (typeof principal !== 'string') throw new InputError('roleTrust needs principal, given once: the IAM role ARN Backstage runs as, such as arn:aws:iam::111111111111:role/backstage');
  const principalProblem = backstagePrincipalProblem(principal);
  if (principalProblem) throw new InputError(`principal ${principalProblem}`);
  if (roleArn === null) throw new InputError('roleArn must be given at most once');
  const template = roleArn ?? DEFAULT_OPERATE_ROLE_ARN;
  const roleProblem = operateRoleProblem(template);
  if (roleProblem) throw new InputError(`roleArn ${roleProblem}`);
  return { principal, roleArn: template };
}
