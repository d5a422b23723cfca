import type { JsonObject, JsonValue } from '@backstage/types';
import path from 'node:path';

/**
 * A config file's relative file paths, made absolute against the file's own
 * directory: `catalog.locations[].target` of `type: file` and
 * `catalog.providers.awsEcs.<id>.mapping.rulesFile`. The commands and the
 * example backend read one config file and should find what sits beside it
 * from any working directory. (A stock Backstage backend resolves both
 * against its working directory, as the catalog does with `path.resolve`.)
 */
export function resolveRelativePaths(data: JsonObject, dir: string): JsonObject {
  const catalog = data.catalog;
  if (!isObject(catalog)) return data;
  const absolute = (target: string) => (path.isAbsolute(target) ? target : path.resolve(dir, target));
  const result: JsonObject = { ...catalog };
  if (Array.isArray(catalog.locations)) {
    result.locations = catalog.locations.map((location): JsonValue => {
      if (!isObject(location) || location.type !== 'file' || typeof location.target !== 'string') return location;
      return { ...location, target: absolute(location.target) };
    });
  }
  const awsEcs = isObject(catalog.providers) ? catalog.providers.awsEcs : undefined;
  if (isObject(catalog.providers) && isObject(awsEcs)) {
    const providers: JsonObject = {};
    for (const [id, provider] of Object.entries(awsEcs)) {
      const mapping = isObject(provider) ? provider.mapping : undefined;
      providers[id] =
        isObject(provider) && isObject(mapping) && typeof mapping.rulesFile === 'string'
          ? { ...provider, mapping: { ...mapping, rulesFile: absolute(mapping.rulesFile) } }
          : (provider ?? null);
    }
    result.providers = { ...catalog.providers, awsEcs: providers };
  }
  return { ...data, catalog: result };
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
