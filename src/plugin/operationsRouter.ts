import type { BackstageCredentials, BackstageUserPrincipal, HttpAuthService, LoggerService, PermissionsService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult, type ResourcePermission } from '@backstage/plugin-permission-common';
import express, { type Request } from 'express';
import Router from 'express-promise-router';
import type { OperationsConfig } from '../gate/gateConfig';
import type { OperationFlow } from '../operations/operationFlow';
import { readOperationRequest } from '../gate/operationRequest';
import { type OperationTarget, resolveOperationTarget } from '../operations/operationTarget';
import { OPERATION_ACTIONS, type ActionCapability, type Operation, type OperationCapabilities } from '../gate/operationView';
import { reviewGate } from '../gate/reviewGate';
import { ecsOperationApprovePermission, ecsOperationPermissions } from '../permissions/ecsServicePermissions';
import { noStoreNoSniff, readOptionalString, sendJson } from './httpHelpers';

export interface OperationsRouterOptions {
  flow: OperationFlow;
  /** Every provider of this backend, with its operations config when it offers them. */
  configs: ReadonlyMap<string, OperationsConfig | undefined>;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
}

const MAX_COMMENT = 1000;

/**
 * ECS operations over HTTP, for signed-in users only (every step is
 * attributed to a person):
 *
 * - `POST /operations` `{ entityRef, action, desiredCount?, taskDefinition?, reason }`: asks for a change;
 * - `GET /operations?entityRef=<ref>`: the service's operations, newest first, with their trails;
 * - `GET /operations/capabilities?entityRef=<ref>`: what the caller may do there;
 * - `GET /operations/:id`; `POST /operations/:id/approve` `{ comment? }`; `POST /operations/:id/reject` `{ comment }`.
 *
 * Each action is decided by the permission framework against the service's
 * catalog entity (`ecs.service.restart|scale|deploy`, `ecs.operation.approve`);
 * the entity itself is read with the caller's credentials.
 */
export function createOperationsRouter(options: OperationsRouterOptions): express.Router {
  const { flow, configs, catalog, httpAuth, permissions } = options;
  const router = Router();
  router.use(noStoreNoSniff);
  router.use('/operations', express.json({ limit: '16kb' }));
  const providers = new Set(configs.keys());

  async function user(req: Request): Promise<{ credentials: BackstageCredentials<BackstageUserPrincipal>; userRef: string }> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return { credentials, userRef: credentials.principal.userEntityRef };
  }

  async function decide(credentials: BackstageCredentials, target: OperationTarget, permission: ResourcePermission<'catalog-entity'>): Promise<boolean> {
    const [decision] = await permissions.authorize([{ permission, resourceRef: target.entityRef }], { credentials });
    return decision.result === AuthorizeResult.ALLOW;
  }

  function readEntityRef(req: Request): string {
    const value = readOptionalString(req.query.entityRef);
    if (typeof value !== 'string') throw new InputError('entityRef must be given once, as an entity reference such as resource:default/my-service');
    return value;
  }

  async function targetOf(entityRef: string, credentials: BackstageCredentials): Promise<OperationTarget> {
    try {
      return await resolveOperationTarget(catalog, entityRef, credentials, providers);
    } catch (error) {
      if ((error as Error).name === 'TypeError') throw new InputError('entityRef must be an entity reference such as resource:default/my-service');
      throw error;
    }
  }

  /** The operation, once the caller may see the service it acts on. */
  async function visible(id: string, credentials: BackstageCredentials): Promise<Operation> {
    const operation = await flow.get(id);
    if (!(await catalog.getEntityByRef(operation.entityRef, { credentials }))) throw new NotFoundError(`no operation ${id}`);
    return operation;
  }

  router.get('/operations/capabilities', async (req, res) => {
    const { credentials } = await user(req);
    const target = await targetOf(readEntityRef(req), credentials);
    const config = configs.get(target.provider);
    if (!config) {
      const off: OperationCapabilities = {
        entityRef: target.entityRef,
        serviceArn: target.serviceArn,
        enabled: false,
        reason: `operations are off for provider ${target.provider} (catalog.providers.awsEcs.${target.provider}.operations)`,
        actions: [],
        canApprove: false,
        scale: { min: 0, max: 0 },
        taskDefinitionFamily: target.taskDefinitionFamily,
      };
      sendJson(res, 200, off);
      return;
    }
    const decisions = await permissions.authorize(
      [...OPERATION_ACTIONS.map(a => ({ permission: ecsOperationPermissions[a], resourceRef: target.entityRef })), { permission: ecsOperationApprovePermission, resourceRef: target.entityRef }],
      { credentials },
    );
    const actions: ActionCapability[] = OPERATION_ACTIONS.map((action, i) => {
      const allowed = decisions[i].result === AuthorizeResult.ALLOW;
      return {
        action,
        allowed,
        reason: allowed ? null : `the permission policy does not allow you ${ecsOperationPermissions[action].name} on ${target.entityRef}`,
        approvalsRequired: reviewGate(config, { action, lifecycle: target.lifecycle, accountId: target.accountId }).approvals,
      };
    });
    const body: OperationCapabilities = {
      entityRef: target.entityRef,
      serviceArn: target.serviceArn,
      enabled: true,
      reason: null,
      actions,
      canApprove: decisions[OPERATION_ACTIONS.length].result === AuthorizeResult.ALLOW,
      scale: config.scale,
      taskDefinitionFamily: target.taskDefinitionFamily,
    };
    sendJson(res, 200, body);
  });

  router.get('/operations', async (req, res) => {
    const { credentials } = await user(req);
    const target = await targetOf(readEntityRef(req), credentials);
    sendJson(res, 200, { items: await flow.list(target.entityRef) });
  });

  router.post('/operations', async (req, res) => {
    const { credentials, userRef } = await user(req);
    const request = readOperationRequest(req.body);
    const target = await targetOf(request.entityRef, credentials);
    const permission = ecsOperationPermissions[request.action];
    if (!(await decide(credentials, target, permission))) {
      throw new NotAllowedError(`you may not ${request.action} ${target.entityRef}: the permission policy does not allow ${permission.name}`);
    }
    const config = configs.get(target.provider);
    if (!config) throw new NotAllowedError(`operations are off for provider ${target.provider}: set catalog.providers.awsEcs.${target.provider}.operations`);
    const operation = await flow.request(userRef, request, target, config);
    sendJson(res, 201, operation);
  });

  router.get('/operations/:id', async (req, res) => {
    const { credentials } = await user(req);
    sendJson(res, 200, await visible(req.params.id, credentials));
  });

  router.post('/operations/:id/approve', async (req, res) => {
    const { credentials, userRef } = await user(req);
    const comment = readComment(req.body, false);
    const operation = await visible(req.params.id, credentials);
    await mayDecide(credentials, operation);
    sendJson(res, 200, await flow.approve(operation.id, userRef, comment));
  });

  router.post('/operations/:id/reject', async (req, res) => {
    const { credentials, userRef } = await user(req);
    const comment = readComment(req.body, true) as string;
    const operation = await visible(req.params.id, credentials);
    // The requester may always withdraw their own request.
    if (operation.requestedBy.toLowerCase() !== userRef.toLowerCase()) await mayDecide(credentials, operation);
    sendJson(res, 200, await flow.reject(operation.id, userRef, comment));
  });

  async function mayDecide(credentials: BackstageCredentials, operation: Operation): Promise<void> {
    const [decision] = await permissions.authorize([{ permission: ecsOperationApprovePermission, resourceRef: operation.entityRef }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`you may not decide on operations of ${operation.entityRef}: the permission policy does not allow ${ecsOperationApprovePermission.name}`);
    }
  }

  return router;
}

function readComment(body: unknown, required: boolean): string | null {
  const value = (body ?? {}) as { comment?: unknown };
  if (typeof value !== 'object' || Array.isArray(value)) throw new InputError('the body must be a JSON object such as { "comment": "..." }');
  const comment = value.comment;
  if (comment === undefined || comment === null || (typeof comment === 'string' && comment.trim() === '')) {
    if (required) throw new InputError('comment is required to reject: say why');
    return null;
  }
  if (typeof comment !== 'string' || comment.length > MAX_COMMENT) throw new InputError(`comment must be text of at most ${MAX_COMMENT} characters`);
  return comment.trim();
}
