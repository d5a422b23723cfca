import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import ecsCatalogSyncPlugin from 'backstage-plugin-ecs-catalog-sync/alpha';
import { signInModule } from './signIn';
import { homeRedirectModule } from './homeRedirect';

/**
 * The example web app: Backstage's catalog and this repository's frontend
 * plugin, on the new frontend system. A plugin is one import and one entry in
 * `features`; its pages, nav items and entity cards come with it.
 */
export const app = createApp({
  features: [catalogPlugin, ecsCatalogSyncPlugin, signInModule, homeRedirectModule],
});
