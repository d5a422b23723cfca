import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import { ConfigError } from '../config/configError';
import { unknownKey } from '../config/readers';
import type { EcsService } from '../scan/inventory';
import { toEntityRef } from './entityRefs';
import { findTag } from './tags';

/**
 * A mapping rule: when every given condition matches a service, its `set`
 * values apply. Rules are tried in order and the first match wins.
 */
export interface MappingRule {
  /** How errors and logs refer to the rule: its `name`, or `rules[i]`. */
  label: string;
  match: {
    accountIds?: string[];
    regions?: string[];
    cluster?: RegExp;
    service?: RegExp;
    tag?: { key: string; value?: string };
  };
  set: {
    owner?: string;
    system?: string;
    lifecycle?: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
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
    if (!/^[a-z0-9](?:[a-z0-9._-]{0,61}[a-z0-9])?$/.test(lifecycle)) throw new ConfigError(`${at}.set.lifecycle`, `'${lifecycle}' must be one lower-case word such as production`);
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

export function findRule(rules: readonly MappingRule[], service: EcsService): MappingRule | undefined {
  const cluster = service.clusterArn.slice(service.clusterArn.lastIndexOf('/') + 1);
  return rules.find(({ match }) => {
    if (match.accountIds && !match.accountIds.includes(service.accountId)) return false;
    if (match.regions && !match.regions.includes(service.region)) return false;
    if (match.cluster && !match.cluster.test(cluster)) return false;
    if (match.service && !match.service.test(service.name)) return false;
    if (match.tag) {
      const tag = findTag(service.tags, [match.tag.key]);
      if (!tag || (match.tag.value !== undefined && tag.value !== match.tag.value)) return false;
    }
    return true;
  });
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
