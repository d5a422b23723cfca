import type { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type express from 'express';
import Router from 'express-promise-router';
import { entityEcsView, hasEcsView } from '../report/entityClaims';
import type { DriftReportRegistry } from './driftReportRegistry';
import { chooseProvider, latestReport, noStoreNoSniff, sendJson } from './httpHelpers';

export interface EntityClaimsRouterOptions {
  registry: Pick<DriftReportRegistry, 'providers' | 'latest'>;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
}

/**
 * `GET /entity/:namespace/:kind/:name/claims?provider=<id>`: one entity's side
 * of the provider's latest drift report, for the entity page. For an entity
 * that claims ECS services, each claim with its state, what is wrong and the
 * YAML to write (`EntityClaimsView`); for one of the provider's ECS service
 * entities, the service's facts, claimants and findings (`EcsServiceView`).
 * The entity is read with the caller's credentials: an entity the caller may
 * not see is not found.
 */
export function createEntityClaimsRouter({ registry, catalog, httpAuth, logger }: EntityClaimsRouterOptions): express.Router {
  const router = Router();
  router.use(noStoreNoSniff);

  router.get('/entity/:namespace/:kind/:name/claims', async (req, res) => {
    const { namespace, kind, name } = req.params;
    const provider = chooseProvider(registry.providers(), req.query.provider);
    const credentials = await httpAuth.credentials(req);
    const entity: Entity | undefined = await catalog.getEntityByRef({ kind, namespace, name }, { credentials });
    const ref = `${kind}:${namespace}/${name}`.toLowerCase();
    if (!entity) throw new NotFoundError(`no entity ${ref} in the catalog`);
    if (!hasEcsView(entity)) throw new NotFoundError(`entity ${ref} claims no ECS service and is no ECS service entity`);
    const report = await latestReport(registry, logger, provider);
    sendJson(res, 200, entityEcsView(entity, report));
  });
  return router;
}
