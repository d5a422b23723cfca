/** The drift report plugin, for `backend.add(import('<this package>/plugin'))`. */
export { ecsCatalogSyncPlugin as default } from './plugin';
export { ecsCatalogSyncPlugin } from './plugin';
export { createDriftRouter } from './router';
