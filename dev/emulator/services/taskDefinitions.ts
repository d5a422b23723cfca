/**
 * The task-definition revisions registered in one account and region, by
 * family. A service running `family:N` implies revisions 1..N exist (a
 * rollback to an earlier one works); the fleet may register more. All are
 * ACTIVE: the emulator serves no DeregisterTaskDefinition.
 */

export type TaskDefinitionRegistry = Map<string, Set<number>>;

/** ECS family names: letters, digits, hyphens and underscores, up to 255. */
const FAMILY_REVISION_RE = /^([A-Za-z0-9_-]{1,255})(?::(\d+))?$/;
const TASK_DEFINITION_ARN_RE = /^arn:aws[\w-]*:ecs:([a-z0-9-]+):(\d{12}):task-definition\/([A-Za-z0-9_-]{1,255}):(\d+)$/;

export interface TaskDefinitionRef {
  family: string;
  /** Undefined for a bare family: the latest ACTIVE revision is meant. */
  revision?: number;
  /** Set when the reference is an ARN. */
  region?: string;
  accountId?: string;
}

/** `family`, `family:rev` or a task-definition ARN; undefined when none of these. */
export function parseTaskDefinitionRef(ref: string): TaskDefinitionRef | undefined {
  const arn = TASK_DEFINITION_ARN_RE.exec(ref);
  if (arn) return { region: arn[1], accountId: arn[2], family: arn[3] as string, revision: Number(arn[4]) };
  const m = FAMILY_REVISION_RE.exec(ref);
  if (!m) return undefined;
  return { family: m[1] as string, revision: m[2] === undefined ? undefined : Number(m[2]) };
}

export function taskDefinitionArnOf(region: string, accountId: string, family: string, revision: number): string {
  return `arn:aws:ecs:${region}:${accountId}:task-definition/${family}:${revision}`;
}

/** Registers `family:revision` and, unless `alone`, every earlier revision. */
export function registerRevisions(registry: TaskDefinitionRegistry, family: string, revision: number, alone = false): void {
  let revisions = registry.get(family);
  if (!revisions) {
    revisions = new Set();
    registry.set(family, revisions);
  }
  if (alone) revisions.add(revision);
  else for (let r = 1; r <= revision; r++) revisions.add(r);
}

export function latestRevision(registry: TaskDefinitionRegistry, family: string): number | undefined {
  const revisions = registry.get(family);
  if (!revisions || revisions.size === 0) return undefined;
  return Math.max(...revisions);
}

/**
 * The ARN a reference resolves to in this registry, or undefined when no such
 * revision is registered there.
 */
export function resolveTaskDefinition(registry: TaskDefinitionRegistry, region: string, accountId: string, ref: string): string | undefined {
  const parsed = parseTaskDefinitionRef(ref);
  if (!parsed) return undefined;
  if (parsed.region !== undefined && (parsed.region !== region || parsed.accountId !== accountId)) return undefined;
  const revision = parsed.revision ?? latestRevision(registry, parsed.family);
  if (revision === undefined || !registry.get(parsed.family)?.has(revision)) return undefined;
  return taskDefinitionArnOf(region, accountId, parsed.family, revision);
}
