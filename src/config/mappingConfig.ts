import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { readFileSync } from 'node:fs';
import nodePath from 'node:path';
import { parse as parseYaml } from 'yaml';
import { toEntityRef } from '../mapping/entityRefs';
import { isLifecycle } from '../mapping/lifecycle';
import { DEFAULT_MAPPING_DEFAULTS, DEFAULT_TAG_KEYS, type MappingOptions } from '../mapping/mappingOptions';
import type { MappingRule } from '../mapping/rules';
import { ConfigError } from './configError';
import { assertKnownKeys, unknownKey } from './readers';

export function readMapping(id: string, config: Config, path: string): MappingOptions {
  const mapping = config.getOptionalConfig('mapping');
  if (!mapping) return { providerId: id, tagKeys: DEFAULT_TAG_KEYS, defaults: DEFAULT_MAPPING_DEFAULTS, rules: [] };
  const at = `${path}.mapping`;
  assertKnownKeys(mapping, at, ['tagKeys', 'defaults', 'rules', 'rulesFile']);

  const tagKeys = { ...DEFAULT_TAG_KEYS };
  const keys = mapping.getOptionalConfig('tagKeys');
  if (keys) {
    assertKnownKeys(keys, `${at}.tagKeys`, Object.keys(DEFAULT_TAG_KEYS));
    for (const field of Object.keys(DEFAULT_TAG_KEYS) as Array<keyof typeof DEFAULT_TAG_KEYS>) {
      const list = keys.getOptional(field);
      if (list === undefined) continue;
      if (!Array.isArray(list) || list.length === 0 || list.some(k => typeof k !== 'string' || k.trim() === '')) {
        throw new ConfigError(`${at}.tagKeys.${field}`, 'must be a non-empty list of tag keys, tried in order');
      }
      tagKeys[field] = list as string[];
    }
  }

  const defaults = { ...DEFAULT_MAPPING_DEFAULTS };
  const given = mapping.getOptionalConfig('defaults');
  if (given) {
    assertKnownKeys(given, `${at}.defaults`, ['owner', 'system', 'lifecycle', 'namespace']);
    const owner = given.getOptionalString('owner');
    if (owner !== undefined) {
      if (!toEntityRef(owner, 'group', 'default')) throw new ConfigError(`${at}.defaults.owner`, `'${owner}' is not an entity reference such as team-a or group:default/team-a`);
      defaults.owner = owner;
    }
    const system = given.getOptionalString('system');
    if (system !== undefined) {
      if (!toEntityRef(system, 'system', 'default')) throw new ConfigError(`${at}.defaults.system`, `'${system}' is not an entity reference`);
      defaults.system = system;
    }
    const lifecycle = given.getOptionalString('lifecycle');
    if (lifecycle !== undefined) {
      if (!isLifecycle(lifecycle)) throw new ConfigError(`${at}.defaults.lifecycle`, `'${lifecycle}' must be one lower-case word`);
      defaults.lifecycle = lifecycle;
    }
    const namespace = given.getOptionalString('namespace');
    if (namespace !== undefined) {
      if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(namespace) || namespace.length > 63) throw new ConfigError(`${at}.defaults.namespace`, `'${namespace}' is not a valid namespace`);
      defaults.namespace = namespace;
    }
  }

  const rules = parseMappingRules(mapping.getOptional('rules'), `${at}.rules`);
  const rulesFile = mapping.getOptionalString('rulesFile');
  if (rulesFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(nodePath.resolve(rulesFile), 'utf8');
    } catch (error) {
      throw new ConfigError(`${at}.rulesFile`, `cannot read ${rulesFile}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (error) {
      throw new ConfigError(`${at}.rulesFile`, `${rulesFile} is not valid YAML: ${(error as Error).message}`);
    }
    const list = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as { rules?: unknown }).rules : parsed;
    rules.push(...parseMappingRules(list, `${rulesFile}: rules`));
  }
  return { providerId: id, tagKeys, defaults, rules };
}

const RULE_KEYS = ['name', 'match', 'set'];
const MATCH_KEYS = ['accountId', 'region', 'cluster', 'service', 'tag'];
const SET_KEYS = ['owner', 'system', 'lifecycle', 'namespace', 'labels'];

/** Validates raw rules (from config or a rules file) at start-up; every error names the rule and the key. */
export function parseMappingRules(raw: unknown, path: string): MappingRule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new ConfigError(path, 'must be a list of rules, each with match and set');
  return raw.map((item, i) => parseRule(item, `${path}[${i}]`));
}

function parseRule(raw: unknown, path: string): MappingRule {
  const rule = asObject(raw, path, RULE_KEYS);
  const name = rule.name === undefined ? undefined : asString(rule.name, `${path}.name`);
  const at = name ? `${path} (${name})` : path;
  const match = asObject(rule.match, `${at}.match`, MATCH_KEYS);
  const set = asObject(rule.set, `${at}.set`, SET_KEYS);
  if (Object.keys(match).length === 0) throw new ConfigError(`${at}.match`, 'needs at least one condition; a rule without one would match every service');
  if (Object.keys(set).length === 0) throw new ConfigError(`${at}.set`, 'needs at least one of owner, system, lifecycle, namespace, labels');

  const parsed: MappingRule = { label: name ?? path, match: {}, set: {} };
  if (match.accountId !== undefined) parsed.match.accountIds = asStringList(match.accountId, `${at}.match.accountId`, /^\d{12}$/, 'a quoted 12-digit account id');
  if (match.region !== undefined) parsed.match.regions = asStringList(match.region, `${at}.match.region`, /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'a region name');
  if (match.cluster !== undefined) parsed.match.cluster = asPattern(match.cluster, `${at}.match.cluster`);
  if (match.service !== undefined) parsed.match.service = asPattern(match.service, `${at}.match.service`);
  if (match.tag !== undefined) {
    const tag = asObject(match.tag, `${at}.match.tag`, ['key', 'value']);
    parsed.match.tag = { key: asString(tag.key, `${at}.match.tag.key`) };
    if (tag.value !== undefined) parsed.match.tag.value = asString(tag.value, `${at}.match.tag.value`);
  }

  if (set.owner !== undefined) parsed.set.owner = asRef(set.owner, `${at}.set.owner`, 'group');
  if (set.system !== undefined) parsed.set.system = asRef(set.system, `${at}.set.system`, 'system');
  if (set.lifecycle !== undefined) {
    const lifecycle = asString(set.lifecycle, `${at}.set.lifecycle`);
    if (!isLifecycle(lifecycle)) throw new ConfigError(`${at}.set.lifecycle`, `'${lifecycle}' must be one lower-case word such as production`);
    parsed.set.lifecycle = lifecycle;
  }
  if (set.namespace !== undefined) {
    const namespace = asString(set.namespace, `${at}.set.namespace`);
    if (!KubernetesValidatorFunctions.isValidNamespace(namespace)) throw new ConfigError(`${at}.set.namespace`, `'${namespace}' is not a valid catalog namespace`);
    parsed.set.namespace = namespace;
  }
  if (set.labels !== undefined) {
    const labels = asObject(set.labels, `${at}.set.labels`);
    parsed.set.labels = {};
    for (const [key, value] of Object.entries(labels)) {
      const v = asString(value, `${at}.set.labels.${key}`);
      if (!KubernetesValidatorFunctions.isValidLabelKey(key)) throw new ConfigError(`${at}.set.labels.${key}`, 'is not a valid label key');
      if (!KubernetesValidatorFunctions.isValidLabelValue(v)) throw new ConfigError(`${at}.set.labels.${key}`, `'${v}' is not a valid label value (63 characters of letters, digits, - _ .)`);
      parsed.set.labels[key] = v;
    }
  }
  return parsed;
}

/** `checkout-*` style globs (`*` any run, `?` one character), or a regular expression written as `/.../`. */
function asPattern(raw: unknown, path: string): RegExp {
  const text = asString(raw, path);
  if (text.length > 2 && text.startsWith('/') && text.endsWith('/')) {
    try {
      return new RegExp(text.slice(1, -1));
    } catch (error) {
      throw new ConfigError(path, `invalid regular expression: ${(error as Error).message}`);
    }
  }
  const source = text.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

function asRef(raw: unknown, path: string, kind: string): string {
  const text = asString(raw, path);
  const ref = toEntityRef(text, kind, 'default');
  if (!ref) throw new ConfigError(path, `'${text}' is not an entity reference such as team-a or ${kind}:default/team-a`);
  return text;
}

function asObject(raw: unknown, path: string, known?: string[]): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(path, 'must be an object');
  if (known) {
    for (const key of Object.keys(raw)) {
      if (!known.includes(key)) throw unknownKey(path, key, known);
    }
  }
  return raw as Record<string, unknown>;
}

function asString(raw: unknown, path: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new ConfigError(path, 'must be a non-empty string');
  return raw;
}

function asStringList(raw: unknown, path: string, pattern: RegExp, what: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((item, i) => {
    const at = Array.isArray(raw) ? `${path}[${i}]` : path;
    if (typeof item === 'number') throw new ConfigError(at, `${item} is a number; write it as ${what} in quotes`);
    if (typeof item !== 'string' || !pattern.test(item)) throw new ConfigError(at, `${JSON.stringify(item)} is not ${what}`);
    return item;
  });
}
