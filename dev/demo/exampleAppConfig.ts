import { ConfigReader, type Config } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { EXAMPLE_APP_PACKAGE } from '../webapp/appBundle';

/**
 * The example backend serves the example web app from its own origin, with any
 * config file: `app.baseUrl` is `backend.baseUrl` unless the file says
 * otherwise, and the app backend serves the bundle of `dev/app`. These values
 * sit beneath the file's, so the file can still change them.
 */
export function withExampleApp(config: Config, configFile: string): Config {
  const backendBaseUrl = config.getOptionalString('backend.baseUrl');
  const defaults: JsonObject = {
    app: {
      packageName: EXAMPLE_APP_PACKAGE,
      ...(backendBaseUrl ? { baseUrl: backendBaseUrl } : {}),
      // The cache keeps the assets of earlier deployments for clients still running them; one local app has none.
      disableStaticFallbackCache: true,
    },
  };
  return ConfigReader.fromConfigs([
    { data: defaults, context: 'example app defaults' },
    { data: config.getOptional<JsonObject>() ?? {}, context: configFile },
  ]);
}
