import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { JsonObject, JsonPrimitive } from '@backstage/types';
import { repoRoot } from '../repoRoot';

/** The package's own folder: the config schemas for log redaction are looked up from here. */
const PACKAGE_ROOT = repoRoot();

/** A root config service that serves exactly this config, instead of reading app-config*.yaml, --config and APP_CONFIG_*. */
export function fixedRootConfigServiceFactory(config: Config) {
  return createServiceFactory({
    service: coreServices.rootConfig,
    deps: {},
    factory: () => config,
  });
}

/**
 * Backstage's default root logger (winston, `LOG_LEVEL` or `backend.logger.*`,
 * secrets from the config schemas redacted), with one change: it looks up the
 * config schemas from this package's folder instead of the working directory,
 * where the stock one fails with "No package.json could be found upwards" when
 * the backend is started from a folder outside any npm package.
 */
export function rootLoggerServiceFactory(backstage: {
  WinstonLogger: typeof import('@backstage/backend-defaults/rootLogger').WinstonLogger;
  createConfigSecretEnumerator: typeof import('@backstage/backend-defaults/rootConfig').createConfigSecretEnumerator;
}) {
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: { config: coreServices.rootConfig },
    async factory({ config }) {
      const logger = backstage.WinstonLogger.create({
        meta: { service: 'backstage', ...(config.getOptionalConfig('backend.logger.meta')?.get<JsonObject>() ?? {}) },
        level: process.env.LOG_LEVEL || config.getOptionalString('backend.logger.level') || 'info',
      });
      const secrets = await backstage.createConfigSecretEnumerator({ logger, dir: PACKAGE_ROOT });
      logger.addRedactions(secrets(config));
      const overrides = config.getOptionalConfigArray('backend.logger.overrides') ?? [];
      logger.setLevelOverrides(overrides.map(o => ({ level: o.getString('level'), matchers: o.getConfig('matchers').get<Record<string, JsonPrimitive | JsonPrimitive[]>>() })));
      return logger;
    },
  });
}
