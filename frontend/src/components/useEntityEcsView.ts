import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { ecsCatalogSyncApiRef } from '../api/EcsCatalogSyncApi';

/** The entity page's entity, as the drift plugin's latest report judged it. */
export function useEntityEcsView() {
  const { entity } = useEntity();
  const api = useApi(ecsCatalogSyncApiRef);
  const ref = getCompoundEntityRef(entity);
  return useAsync(() => api.getEntityView(ref), [api, ref.kind, ref.namespace, ref.name]);
}
