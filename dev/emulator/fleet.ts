/**
 * Fleet model for the loopback AWS emulator: which AWS accounts exist, which
 * identities may call it, which roles can be assumed, and which ECS clusters and
 * services run in every account/region.
 *
 * YAML shape (everything not marked "required" is optional):
 *
 * ```yaml
 * organization:                      # enables organizations:ListAccounts
 *   managementAccountId: "111111111111"   # required; must be one of `accounts`
 * principals:                        # long-lived identities callers sign with
 *   - accessKeyId: AKIAEMULATORMAIN0001   # required; must not start with ASIA
 *     secretAccessKey: emulator-secret    # required (never verified)
 *     accountId: "111111111111"           # required
 *     arn: arn:aws:iam::111111111111:user/backstage   # default user/principal-<n>
 * accounts:                          # required (may be empty)
 *   - id: "012345678901"              # required, QUOTED 12-digit string
 *     name: platform                  # default account-<id>
 *     email: platform@example.com     # default aws+<id>@example.com
 *     status: ACTIVE                  # ACTIVE | SUSPENDED | PENDING_CLOSURE
 *     joinedAt: "2020-01-01T00:00:00Z"
 *     roles:
 *       - name: backstage-ecs-read    # required
 *         externalId: s3cret-ext      # AssumeRole must pass exactly this ExternalId
 *         trustedAccounts: ["111111111111"]  # absent = any known caller may assume
 *       - name: ecs-web
 *         webIdentity: { tokens: ["token-abc"] }  # enables AssumeRoleWithWebIdentity
 *       - name: ecs-operate-team-a
 *         trustPolicy: { Version: "2012-10-17", Statement: [...] }  # replaces trustedAccounts/externalId
 *         policies: [{ Version: "2012-10-17", Statement: [...] }]   # enforced on ECS/Tagging calls of its sessions
 *     regions:
 *       eu-west-1:
 *         taskDefinitions: ["checkout-api:43"]   # revisions registered besides those services imply
 *         clusters:
 *           - name: payments          # required; letters, digits, - and _, <= 255
 *             tags: { env: prod }
 *             services:
 *               - name: checkout-api  # required; letters, digits, - and _, <= 255
 *                 status: ACTIVE      # ACTIVE (default) | DRAINING | INACTIVE
 *                 arnFormat: long     # long (default): service/CLUSTER/NAME; short: service/NAME
 *                 desiredCount: 3     # default 1 (0 when INACTIVE)
 *                 runningCount: 3     # default desiredCount
 *                 pendingCount: 0     # default 0
 *                 launchType: FARGATE # FARGATE (default) | EC2 | EXTERNAL
 *                 # capacityProviders: [FARGATE_SPOT]   # instead of launchType
 *                 taskDefinition: checkout-api:42       # family[:rev] or full ARN; default NAME:1
 *                 createdAt: "2025-03-01T10:00:00Z"     # default 2024-01-01T00:00:00Z
 *                 schedulingStrategy: REPLICA           # REPLICA (default) | DAEMON
 *                 tags: { Owner: team-payments, Component: checkout }
 * ```
 *
 * Account ids must be quoted: YAML reads `012345678901` as the number
 * 12345678901 and the leading zero is lost, so numbers are rejected.
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { PolicyDocument } from './services/iamPolicy';

export type { PolicyDocument, PolicyStatement } from './services/iamPolicy';

export type AccountId = string;
export type ServiceStatus = 'ACTIVE' | 'DRAINING' | 'INACTIVE';
export type LaunchType = 'FARGATE' | 'EC2' | 'EXTERNAL';
export type ArnFormat = 'long' | 'short';
export type AccountStatus = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
export type SchedulingStrategy = 'REPLICA' | 'DAEMON';
export type Tags = Record<string, string>;

export interface ServiceSpec {
  name: string;
  status?: ServiceStatus;
  arnFormat?: ArnFormat;
  desiredCount?: number;
  runningCount?: number;
  pendingCount?: number;
  launchType?: LaunchType;
  capacityProviders?: string[];
  taskDefinition?: string;
  /** ISO-8601 timestamp (a Date is accepted too). */
  createdAt?: string | Date;
  schedulingStrategy?: SchedulingStrategy;
  tags?: Tags;
}

export interface ClusterSpec {
  name: string;
  tags?: Tags;
  services?: ServiceSpec[];
}

export interface RegionSpec {
  clusters?: ClusterSpec[];
  /**
   * Task-definition revisions registered beside those the services imply
   * (a service running `family:N` implies 1..N), as `family:revision`.
   */
  taskDefinitions?: string[];
}

export interface RoleSpec {
  name: string;
  externalId?: string;
  trustedAccounts?: AccountId[];
  webIdentity?: { tokens: string[] };
  /**
   * Who may assume the role, as IAM's trust policy says it; when present it
   * replaces `trustedAccounts` and `externalId` (use an `sts:ExternalId` condition).
   */
  trustPolicy?: PolicyDocument;
  /**
   * The role's identity policies: every ECS and Tagging call of its sessions
   * is evaluated against them. Absent = the session may do anything.
   */
  policies?: PolicyDocument[];
}

export interface AccountSpec {
  id: AccountId;
  name?: string;
  email?: string;
  status?: AccountStatus;
  joinedAt?: string | Date;
  roles?: RoleSpec[];
  regions?: Record<string, RegionSpec | null>;
}

export interface PrincipalSpec {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: AccountId;
  arn?: string;
}

export interface OrganizationSpec {
  managementAccountId: AccountId;
}

export interface Fleet {
  organization?: OrganizationSpec;
  principals?: PrincipalSpec[];
  accounts: AccountSpec[];
}

/** Defaults applied by the emulator wherever the fleet leaves a field out. */
export const FLEET_DEFAULTS = {
  serviceStatus: 'ACTIVE' as ServiceStatus,
  arnFormat: 'long' as ArnFormat,
  desiredCount: 1,
  pendingCount: 0,
  launchType: 'FARGATE' as LaunchType,
  createdAt: '2024-01-01T00:00:00Z',
  joinedAt: '2020-01-01T00:00:00Z',
  schedulingStrategy: 'REPLICA' as SchedulingStrategy,
  accountStatus: 'ACTIVE' as AccountStatus,
};

export class FleetValidationError extends Error {
  constructor(readonly issues: string[]) {
    const shown = issues.slice(0, 25);
    const more = issues.length > shown.length ? `\n  ... and ${issues.length - shown.length} more` : '';
    super(`Invalid fleet:\n  ${shown.join('\n  ')}${more}`);
    this.name = 'FleetValidationError';
  }
}

export const ACCOUNT_ID_RE = /^\d{12}$/;
/** ECS cluster and service names: up to 255 letters, digits, hyphens and underscores. */
export const ECS_NAME_RE = /^[A-Za-z0-9_-]{1,255}$/;
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ROLE_NAME_RE = /^[\w+=,.@-]{1,64}$/;
const FAMILY_REVISION_RE = /^[A-Za-z0-9_-]{1,255}:[1-9]\d{0,8}$/;
const TASK_DEF_RE = /^(arn:aws[\w-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?[A-Za-z0-9_-]{1,255}(:\d+)?$/;

const SERVICE_STATUSES: readonly ServiceStatus[] = ['ACTIVE', 'DRAINING', 'INACTIVE'];
const LAUNCH_TYPES: readonly LaunchType[] = ['FARGATE', 'EC2', 'EXTERNAL'];
const ARN_FORMATS: readonly ArnFormat[] = ['long', 'short'];
const ACCOUNT_STATUSES: readonly AccountStatus[] = ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'];
const SCHEDULING: readonly SchedulingStrategy[] = ['REPLICA', 'DAEMON'];

const SERVICE_KEYS = [
  'name', 'status', 'arnFormat', 'desiredCount', 'runningCount', 'pendingCount', 'launchType',
  'capacityProviders', 'taskDefinition', 'createdAt', 'schedulingStrategy', 'tags',
] as const;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Collects every problem with its path, so one run reports all typos at once. */
class Checker {
  readonly issues: string[] = [];

  add(path: string, message: string): void {
    this.issues.push(`${path}: ${message}`);
  }

  keys(obj: Obj, allowed: readonly string[], path: string): void {
    for (const k of Object.keys(obj)) {
      // `$`-prefixed keys are metadata, e.g. the `$source` the AWS SDK adds to a
      // credentials object it was given, which then travels along on spreads.
      if (!allowed.includes(k) && !k.startsWith('$')) this.add(join(path, k), `unknown field (allowed: ${allowed.join(', ')})`);
    }
  }

  requiredString(obj: Obj, key: string, path: string): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null || v === '') {
      this.add(join(path, key), 'required');
      return undefined;
    }
    if (typeof v !== 'string') {
      this.add(join(path, key), `must be a string (got ${typeof v}; quote it in YAML)`);
      return undefined;
    }
    return v;
  }

  optionalString(obj: Obj, key: string, path: string): void {
    const v = obj[key];
    if (v !== undefined && typeof v !== 'string') {
      this.add(join(path, key), `must be a string (got ${describe(v)})`);
    }
  }

  accountId(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null || v === '') {
      this.add(path, 'required');
      return undefined;
    }
    if (typeof v === 'number' || typeof v === 'bigint') {
      this.add(
        path,
        `account ids must be quoted 12-digit strings, got the number ${String(v)} ` +
          `(YAML drops leading zeros from unquoted numbers; write "${String(v).padStart(12, '0')}" with quotes)`,
      );
      return undefined;
    }
    if (typeof v !== 'string' || !ACCOUNT_ID_RE.test(v)) {
      this.add(path, `must be a 12-digit account id string, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  enumValue<T extends string>(obj: Obj, key: string, values: readonly T[], path: string): void {
    const v = obj[key];
    if (v !== undefined && !values.includes(v as T)) {
      this.add(join(path, key), `must be one of ${values.join(' | ')}, got ${describe(v)}`);
    }
  }

  count(obj: Obj, key: string, path: string): void {
    const v = obj[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
      this.add(join(path, key), `must be a non-negative integer, got ${describe(v)}`);
    }
  }

  timestamp(obj: Obj, key: string, path: string): void {
    const v = obj[key];
    if (v === undefined) return;
    const ok = (v instanceof Date && !Number.isNaN(v.getTime())) || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));
    if (!ok) this.add(join(path, key), `must be an ISO-8601 timestamp string like "2025-03-01T10:00:00Z", got ${describe(v)}`);
  }

  tags(obj: Obj, key: string, path: string): void {
    const v = obj[key];
    if (v === undefined || v === null) return;
    const p = join(path, key);
    if (!isObj(v)) {
      this.add(p, 'must be a map of tag key to string value');
      return;
    }
    for (const [k, val] of Object.entries(v)) {
      if (k.length < 1 || k.length > 128) this.add(join(p, k), 'tag keys must be 1..128 characters');
      if (typeof val !== 'string') this.add(join(p, k), `tag values must be strings (got ${describe(val)}; quote it in YAML)`);
      else if (val.length > 256) this.add(join(p, k), 'tag values must be at most 256 characters');
    }
  }

  stringList(v: unknown, path: string, nonEmpty: boolean): v is string[] {
    if (!Array.isArray(v)) {
      this.add(path, 'must be a list of strings');
      return false;
    }
    if (nonEmpty && v.length === 0) this.add(path, 'must not be empty');
    v.forEach((s, i) => {
      if (typeof s !== 'string' || s === '') this.add(`${path}[${i}]`, 'must be a non-empty string');
    });
    return true;
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${String(v)}`;
}

/** The ARN ECS gives a service; the short (pre-2021) format leaves the cluster out. */
export function serviceArnFor(
  region: string,
  accountId: string,
  clusterName: string,
  serviceName: string,
  format: ArnFormat = FLEET_DEFAULTS.arnFormat,
): string {
  return format === 'short'
    ? `arn:aws:ecs:${region}:${accountId}:service/${serviceName}`
    : `arn:aws:ecs:${region}:${accountId}:service/${clusterName}/${serviceName}`;
}

export function clusterArnFor(region: string, accountId: string, clusterName: string): string {
  return `arn:aws:ecs:${region}:${accountId}:cluster/${clusterName}`;
}

/** Validates one service spec (shared by fleet files and the emulator's addService). */
function checkServiceSpec(c: Checker, svc: unknown, path: string): svc is ServiceSpec {
  if (!isObj(svc)) {
    c.add(path, 'must be a map with at least a name');
    return false;
  }
  c.keys(svc, SERVICE_KEYS, path);
  const name = c.requiredString(svc, 'name', path);
  if (name !== undefined && !ECS_NAME_RE.test(name)) {
    c.add(join(path, 'name'), `must be 1..255 letters, digits, hyphens or underscores, got ${describe(name)}`);
  }
  c.enumValue(svc, 'status', SERVICE_STATUSES, path);
  c.enumValue(svc, 'arnFormat', ARN_FORMATS, path);
  c.enumValue(svc, 'launchType', LAUNCH_TYPES, path);
  c.enumValue(svc, 'schedulingStrategy', SCHEDULING, path);
  c.count(svc, 'desiredCount', path);
  c.count(svc, 'runningCount', path);
  c.count(svc, 'pendingCount', path);
  if (svc.capacityProviders !== undefined) {
    c.stringList(svc.capacityProviders, join(path, 'capacityProviders'), true);
    if (svc.launchType !== undefined) {
      c.add(path, 'give either launchType or capacityProviders, not both (ECS omits launchType for capacity-provider services)');
    }
  }
  c.optionalString(svc, 'taskDefinition', path);
  if (typeof svc.taskDefinition === 'string' && !TASK_DEF_RE.test(svc.taskDefinition)) {
    c.add(join(path, 'taskDefinition'), `must be "family[:revision]" or a task-definition ARN, got ${describe(svc.taskDefinition)}`);
  }
  c.timestamp(svc, 'createdAt', path);
  c.tags(svc, 'tags', path);
  return true;
}

function checkCluster(c: Checker, cl: unknown, path: string, region: string, accountId: string, arns: Map<string, string>): void {
  if (!isObj(cl)) {
    c.add(path, 'must be a map with at least a name');
    return;
  }
  c.keys(cl, ['name', 'tags', 'services'], path);
  const name = c.requiredString(cl, 'name', path);
  if (name !== undefined && !ECS_NAME_RE.test(name)) {
    c.add(join(path, 'name'), `must be 1..255 letters, digits, hyphens or underscores, got ${describe(name)}`);
  }
  c.tags(cl, 'tags', path);
  if (cl.services === undefined || cl.services === null) return;
  if (!Array.isArray(cl.services)) {
    c.add(join(path, 'services'), 'must be a list');
    return;
  }
  const names = new Set<string>();
  cl.services.forEach((svc, i) => {
    const p = `${path}.services[${i}]`;
    if (!checkServiceSpec(c, svc, p) || typeof svc.name !== 'string') return;
    if (names.has(svc.name)) c.add(join(p, 'name'), `duplicate service name "${svc.name}" in cluster`);
    names.add(svc.name);
    if (name === undefined) return;
    const arn = serviceArnFor(region, accountId, name, svc.name, svc.arnFormat);
    const other = arns.get(arn);
    if (other !== undefined && other !== p) {
      c.add(p, `service ARN ${arn} is also used by ${other} (short-format ARNs leave the cluster out, so the name must be unique in the region)`);
    }
    arns.set(arn, p);
  });
}

const STATEMENT_KEYS = ['Sid', 'Effect', 'Principal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

/** The shape of a policy document; what its operators and keys mean is the evaluator's business. */
function checkPolicyDocument(c: Checker, doc: unknown, path: string, trust: boolean): void {
  if (!isObj(doc)) {
    c.add(path, 'must be a policy document { Version, Statement: [...] }');
    return;
  }
  c.keys(doc, ['Version', 'Id', 'Statement'], path);
  if (doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') c.add(join(path, 'Version'), `must be "2012-10-17", got ${describe(doc.Version)}`);
  if (!Array.isArray(doc.Statement)) {
    c.add(join(path, 'Statement'), 'must be a list of statements');
    return;
  }
  doc.Statement.forEach((st, i) => {
    const sp = `${path}.Statement[${i}]`;
    if (!isObj(st)) {
      c.add(sp, 'must be a map');
      return;
    }
    c.keys(st, STATEMENT_KEYS, sp);
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') c.add(join(sp, 'Effect'), `must be Allow or Deny, got ${describe(st.Effect)}`);
    if ((st.Action === undefined) === (st.NotAction === undefined)) c.add(sp, 'needs exactly one of Action and NotAction');
    if (trust && st.Principal === undefined) c.add(sp, 'a trust policy statement needs a Principal');
    if (!trust && st.Principal !== undefined) c.add(join(sp, 'Principal'), 'identity policies name no Principal');
    if (!trust && (st.Resource === undefined) === (st.NotResource === undefined)) c.add(sp, 'needs exactly one of Resource and NotResource');
    if (st.Condition !== undefined && !isObj(st.Condition)) c.add(join(sp, 'Condition'), 'must be a map of operator to { key: values }');
  });
}

/** Validates a role spec (used by the emulator's putRole). */
export function validateRoleSpec(spec: unknown, path = 'role'): RoleSpec {
  const c = new Checker();
  checkRole(c, spec, path);
  if (c.issues.length > 0) throw new FleetValidationError(c.issues);
  return spec as RoleSpec;
}

function checkRole(c: Checker, role: unknown, path: string): void {
  if (!isObj(role)) {
    c.add(path, 'must be a map with at least a name');
    return;
  }
  c.keys(role, ['name', 'externalId', 'trustedAccounts', 'webIdentity', 'trustPolicy', 'policies'], path);
  if (role.trustPolicy !== undefined) checkPolicyDocument(c, role.trustPolicy, join(path, 'trustPolicy'), true);
  if (role.policies !== undefined) {
    const p = join(path, 'policies');
    if (!Array.isArray(role.policies)) c.add(p, 'must be a list of policy documents');
    else role.policies.forEach((d, i) => checkPolicyDocument(c, d, `${p}[${i}]`, false));
  }
  const name = c.requiredString(role, 'name', path);
  if (name !== undefined && !ROLE_NAME_RE.test(name)) c.add(join(path, 'name'), 'must be 1..64 characters of letters, digits and +=,.@_-');
  c.optionalString(role, 'externalId', path);
  if (role.trustedAccounts !== undefined) {
    const p = join(path, 'trustedAccounts');
    if (!Array.isArray(role.trustedAccounts)) c.add(p, 'must be a list of account ids');
    else role.trustedAccounts.forEach((a, i) => c.accountId(a, `${p}[${i}]`));
  }
  if (role.webIdentity !== undefined) {
    const p = join(path, 'webIdentity');
    if (!isObj(role.webIdentity)) c.add(p, 'must be a map like { tokens: [...] }');
    else {
      c.keys(role.webIdentity, ['tokens'], p);
      c.stringList(role.webIdentity.tokens, join(p, 'tokens'), true);
    }
  }
}

function checkAccount(c: Checker, acc: unknown, path: string): string | undefined {
  if (!isObj(acc)) {
    c.add(path, 'must be a map with at least an id');
    return undefined;
  }
  c.keys(acc, ['id', 'name', 'email', 'status', 'joinedAt', 'roles', 'regions'], path);
  const id = c.accountId(acc.id, join(path, 'id'));
  c.optionalString(acc, 'name', path);
  c.optionalString(acc, 'email', path);
  c.enumValue(acc, 'status', ACCOUNT_STATUSES, path);
  c.timestamp(acc, 'joinedAt', path);
  if (acc.roles !== undefined && acc.roles !== null) {
    if (!Array.isArray(acc.roles)) c.add(join(path, 'roles'), 'must be a list');
    else {
      const seen = new Set<unknown>();
      acc.roles.forEach((r, i) => {
        checkRole(c, r, `${path}.roles[${i}]`);
        const rn = isObj(r) ? r.name : undefined;
        if (rn !== undefined && seen.has(rn)) c.add(`${path}.roles[${i}].name`, `duplicate role name ${describe(rn)}`);
        seen.add(rn);
      });
    }
  }
  if (acc.regions !== undefined && acc.regions !== null) {
    if (!isObj(acc.regions)) c.add(join(path, 'regions'), 'must be a map of region name to { clusters: [...] }');
    else {
      for (const [region, spec] of Object.entries(acc.regions)) {
        const rp = `${path}.regions.${region}`;
        if (!REGION_RE.test(region)) c.add(rp, 'not a region name like eu-west-1');
        if (spec === null || spec === undefined) continue;
        if (!isObj(spec)) {
          c.add(rp, 'must be a map like { clusters: [...] }');
          continue;
        }
        c.keys(spec, ['clusters', 'taskDefinitions'], rp);
        if (spec.taskDefinitions !== undefined && c.stringList(spec.taskDefinitions, `${rp}.taskDefinitions`, false)) {
          spec.taskDefinitions.forEach((td, i) => {
            if (typeof td === 'string' && !FAMILY_REVISION_RE.test(td)) c.add(`${rp}.taskDefinitions[${i}]`, `must be "family:revision", got ${describe(td)}`);
          });
        }
        if (spec.clusters === undefined || spec.clusters === null) continue;
        if (!Array.isArray(spec.clusters)) {
          c.add(`${rp}.clusters`, 'must be a list');
          continue;
        }
        const names = new Set<unknown>();
        const arns = new Map<string, string>();
        spec.clusters.forEach((cl, i) => {
          const cp = `${rp}.clusters[${i}]`;
          checkCluster(c, cl, cp, region, id ?? '000000000000', arns);
          const cn = isObj(cl) ? cl.name : undefined;
          if (cn !== undefined && names.has(cn)) c.add(`${cp}.name`, `duplicate cluster name ${describe(cn)} in region`);
          names.add(cn);
        });
      }
    }
  }
  return id;
}

function checkPrincipal(c: Checker, p: unknown, path: string): void {
  if (!isObj(p)) {
    c.add(path, 'must be a map with accessKeyId, secretAccessKey and accountId');
    return;
  }
  c.keys(p, ['accessKeyId', 'secretAccessKey', 'accountId', 'arn'], path);
  const key = c.requiredString(p, 'accessKeyId', path);
  if (key !== undefined) {
    if (!/^[A-Za-z0-9]{4,128}$/.test(key)) c.add(join(path, 'accessKeyId'), 'must be 4..128 letters and digits');
    // ASIA... ids are what the emulator hands out for assumed-role sessions.
    if (key.startsWith('ASIA')) c.add(join(path, 'accessKeyId'), 'the ASIA prefix is reserved for temporary credentials; use AKIA...');
  }
  c.requiredString(p, 'secretAccessKey', path);
  c.accountId(p.accountId, join(path, 'accountId'));
  c.optionalString(p, 'arn', path);
  if (typeof p.arn === 'string' && !p.arn.startsWith('arn:')) c.add(join(path, 'arn'), 'must be an ARN (arn:aws:iam::ACCOUNT:user/NAME)');
}

/**
 * Validates a fleet (YAML text or an already-parsed object) and returns it typed.
 * Throws FleetValidationError listing every problem with its path.
 */
export function parseFleet(input: string | unknown): Fleet {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = YAML.parse(input);
    } catch (e) {
      throw new FleetValidationError([`YAML: ${(e as Error).message}`]);
    }
  }
  const c = new Checker();
  if (!isObj(doc)) throw new FleetValidationError(['(root): must be a map with an `accounts` list']);
  c.keys(doc, ['organization', 'principals', 'accounts'], '');

  const ids = new Set<string>();
  if (!Array.isArray(doc.accounts)) c.add('accounts', 'required, must be a list');
  else {
    doc.accounts.forEach((acc, i) => {
      const id = checkAccount(c, acc, `accounts[${i}]`);
      if (id === undefined) return;
      if (ids.has(id)) c.add(`accounts[${i}].id`, `duplicate account id "${id}"`);
      ids.add(id);
    });
  }

  if (doc.principals !== undefined && doc.principals !== null) {
    if (!Array.isArray(doc.principals)) c.add('principals', 'must be a list');
    else {
      const keys = new Set<unknown>();
      doc.principals.forEach((p, i) => {
        checkPrincipal(c, p, `principals[${i}]`);
        const k = isObj(p) ? p.accessKeyId : undefined;
        if (k !== undefined && keys.has(k)) c.add(`principals[${i}].accessKeyId`, `duplicate access key id ${describe(k)}`);
        keys.add(k);
      });
    }
  }

  if (doc.organization !== undefined && doc.organization !== null) {
    if (!isObj(doc.organization)) c.add('organization', 'must be a map like { managementAccountId: "111111111111" }');
    else {
      c.keys(doc.organization, ['managementAccountId'], 'organization');
      const mgmt = c.accountId(doc.organization.managementAccountId, 'organization.managementAccountId');
      if (mgmt !== undefined && Array.isArray(doc.accounts) && !ids.has(mgmt)) {
        c.add('organization.managementAccountId', `account "${mgmt}" is not listed under accounts`);
      }
    }
  }

  if (c.issues.length > 0) throw new FleetValidationError(c.issues);
  return doc as unknown as Fleet;
}

/** Validates a single service spec (used by the emulator's addService). */
export function validateServiceSpec(spec: unknown, path = 'service'): ServiceSpec {
  const c = new Checker();
  checkServiceSpec(c, spec, path);
  if (c.issues.length > 0) throw new FleetValidationError(c.issues);
  return spec as ServiceSpec;
}

/** Validates a single cluster spec (used by the emulator's addCluster). */
export function validateClusterSpec(spec: unknown, region: string, accountId: string, path = 'cluster'): ClusterSpec {
  const c = new Checker();
  checkCluster(c, spec, path, region, accountId, new Map());
  if (c.issues.length > 0) throw new FleetValidationError(c.issues);
  return spec as ClusterSpec;
}

/** Reads and validates a fleet YAML file (synchronously: it is read once at start-up). */
export function loadFleetFile(path: string): Fleet {
  const text = readFileSync(path, 'utf8');
  try {
    return parseFleet(text);
  } catch (e) {
    if (e instanceof FleetValidationError) {
      const err = new FleetValidationError(e.issues);
      err.message = `${path}: ${e.message}`;
      throw err;
    }
    throw e;
  }
}

/** Counts for logs and the CLI banner. */
export function fleetSummary(fleet: Fleet): { accounts: number; regions: number; clusters: number; services: number } {
  let regions = 0;
  let clusters = 0;
  let services = 0;
  for (const acc of fleet.accounts) {
    for (const spec of Object.values(acc.regions ?? {})) {
      regions++;
      for (const cl of spec?.clusters ?? []) {
        clusters++;
        services += cl.services?.length ?? 0;
      }
    }
  }
  return { accounts: fleet.accounts.length, regions, clusters, services };
}
