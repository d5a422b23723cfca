import { createRouteRef } from '@backstage/core-plugin-api';

/** The ECS drift page, in apps of the legacy frontend system. */
export const rootRouteRef = createRouteRef({ id: 'ecs-catalog-sync' });
