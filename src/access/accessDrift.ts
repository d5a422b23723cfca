import { parseServiceArn } from '../reconcile/claims';
import { compareStrings, shardKey } from '../scan/inventory';
import type { OwnedService } from './ownedServices';
import { asList, type PolicyDocument } from './policyDocument';
import { compilePolicies } from './policyMatch';
import { actionsOf, PROFILE_ACTIONS, type AccessProfile, type ResourceScope } from './profiles';
import { taskDefinitionsOf } from './teamPolicies';

export interface PolicySource {
  /** Where the document came from (a file name), for the findings. */
  source: string;
  document: PolicyDocument;
}

export interface AccessDriftInput {
  /** The team's policy documents as they exist today. */
  documents: readonly PolicySource[];
  /** The reconciled fleet, every owner. */
  services: readonly OwnedService[];
  team: string;
  profile: AccessProfile;
  accountId?: string;
  /** Shards (`account/region`) that were read completely; when given, nothing outside them is judged. */
  readShards?: ReadonlySet<string>;
}

/** A service the team owns that its policies do not fully grant the profile on. */
export interface UncoveredService {
  arn: string;
  accountId: string;
  missingActions: string[];
}

/** A service someone else owns (or nobody) that the team's policies grant actions on, or whose task-definition family they let the team register. */
export interface ExcessService {
  arn: string;
  owner: string;
  actions: string[];
}

/** A service ARN the policies name that is not in the fleet: deleted, or never existed. */
export interface UnknownResource {
  resource: string;
  source: string;
}

export interface NotVerifiedResource {
  resource: string;
  source: string;
  reason: string;
}

export interface AccessDrift {
  team: string;
  profile: AccessProfile;
  uncovered: UncoveredService[];
  excess: ExcessService[];
  unknown: UnknownResource[];
  notVerified: NotVerifiedResource[];
}

/**
 * Compares a team's existing policies with what it owns now. Pure. Judged on
 * the actions that name a service, and on registering revisions of the
 * task-definition family it runs: an uncovered service lacks one of the
 * profile's; an excess service is granted any of them of any profile, since a
 * grant on someone else's service is wrong whatever its level. A family one
 * of the team's own services runs is the team's, even when another team's
 * service runs it too.
 */
export function checkAccess(input: AccessDriftInput): AccessDrift {
  const { team, profile, accountId, readShards } = input;
  const allows = compilePolicies(input.documents.map(d => d.document));
  const inScope = input.services.filter(s => accountId === undefined || s.accountId === accountId);
  const judged = (s: { accountId: string; region: string }) => readShards === undefined || readShards.has(shardKey(s.accountId, s.region));

  const profileActions = (scope: ResourceScope) => actionsOf(profile).filter(a => a.scope === scope).map(a => a.action);
  const anyProfileActions = (scope: ResourceScope) => [...new Set(PROFILE_ACTIONS.filter(a => a.scope === scope).map(a => a.action))];
  const serviceActions = { required: profileActions('service'), any: anyProfileActions('service') };
  const registerActions = { required: profileActions('taskDefinition'), any: anyProfileActions('taskDefinition') };
  const ownRevisions = new Set(inScope.filter(s => s.owner === team).flatMap(s => taskDefinitionsOf(s) ?? []));

  const uncovered: UncoveredService[] = [];
  const excess: ExcessService[] = [];
  for (const service of inScope) {
    if (!judged(service)) continue;
    // Every revision of the family, `…:<family>:*`, matched as a plain string: only a
    // policy with a wildcard there covers it, one naming a revision cannot register the next.
    const revisions = taskDefinitionsOf(service);
    if (service.owner === team) {
      const missingActions = [
        ...serviceActions.required.filter(action => !allows(action, service.arn)),
        ...(revisions === undefined ? [] : registerActions.required.filter(action => !allows(action, revisions))),
      ];
      if (missingActions.length > 0) uncovered.push({ arn: service.arn, accountId: service.accountId, missingActions });
    } else {
      const actions = [
        ...serviceActions.any.filter(action => allows(action, service.arn)),
        ...(revisions === undefined || ownRevisions.has(revisions) ? [] : registerActions.any.filter(action => allows(action, revisions))),
      ];
      if (actions.length > 0) excess.push({ arn: service.arn, owner: service.owner, actions });
    }
  }

  const known = new Set(input.services.map(s => s.arn));
  const unknown: UnknownResource[] = [];
  const notVerified: NotVerifiedResource[] = [];
  const seen = new Set<string>();
  for (const { source, document } of input.documents) {
    for (const statement of document.Statement) {
      if (statement.Effect !== 'Allow') continue;
      for (const resource of asList(statement.Resource)) {
        if (known.has(resource) || seen.has(`${source}\n${resource}`)) continue;
        // Only concrete service ARNs name a service; a pattern is judged through the services it covers.
        const parsed = parseServiceArn(resource);
        if ('error' in parsed) continue;
        const { region, accountId: account } = parsed;
        if (accountId !== undefined && account !== accountId) continue;
        seen.add(`${source}\n${resource}`);
        if (judged({ accountId: account, region })) unknown.push({ resource, source });
        else notVerified.push({ resource, source, reason: `account ${account}, region ${region} was not read completely` });
      }
    }
  }

  const byArn = (a: { arn: string }, b: { arn: string }) => compareStrings(a.arn, b.arn);
  const byResource = (a: { resource: string; source: string }, b: { resource: string; source: string }) =>
    compareStrings(a.resource, b.resource) || compareStrings(a.source, b.source);
  return {
    team,
    profile,
    uncovered: uncovered.sort(byArn),
    excess: excess.sort(byArn),
    unknown: unknown.sort(byResource),
    notVerified: notVerified.sort(byResource),
  };
}

export function accessDriftCount(drift: AccessDrift): number {
  return drift.uncovered.length + drift.excess.length + drift.unknown.length;
}
