import { createFrontendModule, PageBlueprint } from '@backstage/frontend-plugin-api';
import { Navigate } from 'react-router-dom';

/** The example app has no home page: `/` opens the catalog. */
export const homeRedirectModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    PageBlueprint.make({
      name: 'home-redirect',
      params: {
        path: '/',
        loader: async () => <Navigate to="/catalog" replace />,
      },
    }),
  ],
});
