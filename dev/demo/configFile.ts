import { ConfigReader, type Config } from '@backstage/config';
import { FileConfigSource, type ConfigSourceData } from '@backstage/config-loader';
import type { JsonObject } from '@backstage/types';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { configFileError } from '../../src/config/loadAppConfig';
import { resolveRelativePaths } from '../../src/config/relativePaths';

/**
 * Reads one app-config file for the example backend, and that file alone: no
 * `app-config.yaml` lookup in the working directory, no `APP_CONFIG_*`
 * environment variables, no file watching. `${VAR}` substitution, `$file`,
 * `$env` and `$include` work as in any Backstage backend.
 *
 * One difference from a stock backend: relative file paths (file locations,
 * `mapping.rulesFile`) are resolved against the config file's directory, not
 * the working directory, so the example works from whatever directory it is
 * started in.
 *
 * `overrides` (programmatic, e.g. the demo's port) are applied on top.
 */
export async function readConfigFileAlone(file: string, overrides?: JsonObject): Promise<Config> {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) throw new Error(`config file ${absolute} does not exist`);
  const source = FileConfigSource.create({ path: absolute, watch: false });
  let configs: ConfigSourceData[] | undefined;
  try {
    for await (const { configs: read } of source.readConfigData()) {
      configs = read;
      break;
    }
  } catch (error) {
    throw configFileError(error, absolute);
  }
  const layers = (configs ?? []).map(c => ({ data: resolveRelativePaths(c.data, path.dirname(absolute)), context: c.context }));
  if (overrides) layers.push({ data: overrides, context: 'overrides' });
  return ConfigReader.fromConfigs(layers);
}
