/**
 * Identity policies enforced on the ECS and Tagging calls of a role's
 * sessions, when the role has `policies` (roles without keep allowing
 * everything, as the scan's roles always did).
 *
 * Resources per action follow the Service Authorization Reference for ECS:
 * DescribeServices, UpdateService and ListTagsForResource act on the service
 * ARN(s) (each service a DescribeServices names is checked, and one refusal
 * refuses the call); DescribeClusters on cluster ARNs; DescribeTasks on task
 * ARNs; ListServices and ListTasks on `*` with the `ecs:cluster` key;
 * ListClusters, DescribeTaskDefinition, ListTaskDefinitions and the Tagging
 * API on `*`.
 *
 * A refusal is ECS's: HTTP 400 AccessDeniedException, "User: ARN is not
 * authorized to perform: ecs:Action on resource: ARN because no
 * identity-based policy allows the ecs:Action action".
 */
import { clusterArnFor, serviceArnFor } from '../fleet';
import { findService, type ScopeContext } from './ecs';
import { evaluate, type RequestContext } from './iamPolicy';
import { sessionOf, type Session } from './identity';
import type { Input } from './input';
import type { ClusterRecord } from './state';
import { AwsError } from './wire';

interface Target {
  resource: string;
  clusterArn?: string;
}

function str(input: Input, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' ? v : undefined;
}

function strList(input: Input, key: string): string[] {
  const v = input[key];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

function clusterArnOf(ctx: ScopeContext, ref: string): string {
  return ref.startsWith('arn:') ? ref : clusterArnFor(ctx.region, ctx.caller.accountId, ref);
}

function clusterRecord(ctx: ScopeContext, ref: string): ClusterRecord | undefined {
  const reg = ctx.state.region(ctx.caller.accountId, ctx.region);
  if (!reg) return undefined;
  const c = ref.startsWith('arn:') ? ctx.state.cluster(ref) : reg.clustersByName.get(ref);
  return c && c.region === reg ? c : undefined;
}

/** A service reference as the ARN IAM sees: the service's own ARN when it exists. */
function serviceTarget(ctx: ScopeContext, clusterRef: string, ref: string): Target {
  const cluster = clusterRecord(ctx, clusterRef);
  const clusterArn = clusterArnOf(ctx, clusterRef);
  const found = cluster ? findService(ctx, cluster, ref) : undefined;
  if (found) return { resource: found.arn, clusterArn };
  if (ref.startsWith('arn:')) return { resource: ref, clusterArn };
  const clusterName = clusterArn.slice(clusterArn.indexOf(':cluster/') + ':cluster/'.length);
  return { resource: serviceArnFor(ctx.region, ctx.caller.accountId, clusterName, ref), clusterArn };
}

/** What an ECS call acts on, for IAM. */
export function ecsTargets(ctx: ScopeContext, action: string, input: Input): Target[] {
  const clusterRef = str(input, 'cluster') ?? 'default';
  switch (action) {
    case 'DescribeClusters': {
      const refs = strList(input, 'clusters');
      return (refs.length > 0 ? refs : ['default']).map(ref => ({ resource: clusterArnOf(ctx, ref) }));
    }
    case 'ListServices':
    case 'ListTasks':
      return [{ resource: '*', clusterArn: clusterArnOf(ctx, clusterRef) }];
    case 'DescribeServices':
      return strList(input, 'services').map(ref => serviceTarget(ctx, clusterRef, ref));
    case 'UpdateService':
      return [serviceTarget(ctx, clusterRef, str(input, 'service') ?? '')];
    case 'DescribeTasks': {
      const clusterArn = clusterArnOf(ctx, clusterRef);
      const prefix = `${clusterArn.replace(':cluster/', ':task/')}/`;
      return strList(input, 'tasks').map(ref => ({ resource: ref.startsWith('arn:') ? ref : prefix + ref, clusterArn }));
    }
    case 'ListTagsForResource': {
      const arn = str(input, 'resourceArn') ?? '';
      const svc = ctx.state.service(arn);
      return [{ resource: arn, clusterArn: svc?.cluster.arn }];
    }
    default:
      return [{ resource: '*' }];
  }
}

/** The keys every call of the session carries. */
export function sessionContext(session: Session, region: string): Record<string, string | string[] | undefined> {
  const context: Record<string, string | string[] | undefined> = {
    'aws:PrincipalArn': session.roleArn,
    'aws:PrincipalAccount': session.accountId,
    'aws:PrincipalType': 'AssumedRole',
    'aws:userid': session.userId,
    'aws:SourceIdentity': session.sourceIdentity,
    'aws:RequestedRegion': region,
  };
  for (const t of session.tags) context[`aws:PrincipalTag/${t.key}`] = t.value;
  return context;
}

/**
 * Throws ECS's AccessDeniedException when the caller is a session of a role
 * with `policies` and they do not allow the call on every target.
 * @param service 'ecs' or 'tagging' (IAM prefix `tag`)
 */
export function authorizeCall(ctx: ScopeContext, service: 'ecs' | 'tagging', action: string, input: Input): void {
  const session = sessionOf(ctx.caller);
  if (!session) return;
  const role = ctx.state.accounts.get(session.accountId)?.roles.get(session.roleName);
  if (!role?.policies) return;
  const iamAction = `${service === 'ecs' ? 'ecs' : 'tag'}:${action}`;
  const base = sessionContext(session, ctx.region);
  const targets = service === 'ecs' ? ecsTargets(ctx, action, input) : [{ resource: '*' }];
  for (const target of targets) {
    const context: RequestContext = target.clusterArn === undefined ? base : { ...base, 'ecs:cluster': target.clusterArn };
    const decision = evaluate(role.policies, { action: iamAction, resource: target.resource, context });
    if (decision === 'allow') continue;
    const why = decision === 'explicitDeny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${iamAction} action`;
    throw new AwsError('AccessDeniedException', `User: ${session.arn} is not authorized to perform: ${iamAction} on resource: ${target.resource} ${why}`, 400);
  }
}
