import { stringifyEntityRef } from '@backstage/catalog-model';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useEffect } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ecsCatalogSyncApiRef } from '../api/EcsCatalogSyncApi';
import type { Operation, OperationCapabilities } from '../api/types';
import { isActive } from './operationText';

export interface EntityOperations {
  entityRef: string;
  /** The signed-in user's entity ref: an approver never approves their own request. */
  viewer: string;
  capabilities: OperationCapabilities;
  /** Newest first; empty when operations are off. */
  operations: Operation[];
}

/**
 * The operations of the one ECS service the entity page's entity is or
 * claims; `value` is undefined when there is no such single service. Asks
 * again every `pollInterval` while an operation is pending or running.
 */
export function useEntityOperations(pollInterval: number) {
  const { entity } = useEntity();
  const api = useApi(ecsCatalogSyncApiRef);
  const identityApi = useApi(identityApiRef);
  const entityRef = stringifyEntityRef(entity);
  const state = useAsyncRetry(async (): Promise<EntityOperations | undefined> => {
    let capabilities: OperationCapabilities;
    try {
      capabilities = await api.getOperationCapabilities(entityRef);
    } catch (error) {
      // Not an ECS service, and not claiming exactly one: operations have no target here.
      if (ResponseError.is(error) && error.statusCode === 404) return undefined;
      throw error;
    }
    const { userEntityRef } = await identityApi.getBackstageIdentity();
    const operations = capabilities.enabled ? await api.listOperations(entityRef) : [];
    return { entityRef, viewer: userEntityRef, capabilities, operations };
  }, [api, identityApi, entityRef]);

  const { value, retry } = state;
  const polling = value?.operations.some(isActive) ?? false;
  useEffect(() => {
    if (!polling) return undefined;
    const timer = setTimeout(retry, pollInterval);
    return () => clearTimeout(timer);
  }, [polling, value, retry, pollInterval]);
  return state;
}
