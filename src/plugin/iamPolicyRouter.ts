import type { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION, type Entity } from '@backstage/catalog-model';
import { providerLocation } from '../mapping/ecsServiceEntity';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ConflictError, InputError } from '@backstage/errors';
import type express from 'express';
import Router from 'express-promise-router';
import { ownedServicesOf, teamRef } from '../access/ownedServices';
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
 * `GET /iam-policy?team=<entity ref>&profile=read|operate|deploy[&account=<id>][&provider=<id>]`:
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
      sendJson(res, 200, buildTeamPolicies({ services: ownedServicesOf(items), team, profile, accountId: account, passRoles: registry.access(provider)?.passRoles ?? [] }));
    } catch (error) {
      // A single service whose document outgrows IAM's limit: the message names it and the key to change.
      if (error instanceof PolicyError) throw new ConflictError(error.message);
      throw error;
    }
  });

  return router;
}
