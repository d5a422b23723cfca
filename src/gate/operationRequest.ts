import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { OPERATION_ACTIONS, type OperationAction } from './operationView';

/** A request as the route reads it, before the target is looked up. */
export interface OperationRequest {
  entityRef: string;
  action: OperationAction;
  desiredCount?: number;
  /** `family:revision`, as the request gave it or taken from an ARN. */
  taskDefinition?: string;
  reason: string;
}

const MAX_REASON = 1000;
const TASK_DEFINITION = /^(?:arn:aws[\w-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?([A-Za-z0-9_-]{1,255}):([1-9]\d{0,8})$/;

const requestSchema = z
  .object({
    entityRef: z.string().min(1),
    action: z.enum(OPERATION_ACTIONS),
    desiredCount: z.number().int().min(0).optional(),
    taskDefinition: z.string().min(1).optional(),
    reason: z.string().trim().min(1, 'must say why').max(MAX_REASON),
  })
  .strict();

/**
 * Reads the body of `POST /operations`. Every refusal is an InputError (a 400)
 * whose message names the field at fault and what it takes.
 */
export function readOperationRequest(body: unknown): OperationRequest {
  const parsed = requestSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'body';
    if (issue.code === 'unrecognized_keys') {
      throw new InputError(`unknown field ${issue.keys.join(', ')}; a request takes entityRef, action, desiredCount, taskDefinition and reason`);
    }
    throw new InputError(`${field} ${describe(field, issue.message)}`);
  }
  const { entityRef, action, desiredCount, taskDefinition, reason } = parsed.data;
  let ref: string;
  try {
    ref = stringifyEntityRef(parseEntityRef(entityRef));
  } catch {
    throw new InputError('entityRef must be an entity reference such as resource:default/my-service or component:default/api');
  }
  if (action === 'scale' && desiredCount === undefined) throw new InputError('desiredCount is required to scale: the number of tasks the service should run');
  if (action !== 'scale' && desiredCount !== undefined) throw new InputError(`desiredCount belongs to scale only, not to ${action}`);
  if (action === 'deploy' && taskDefinition === undefined) {
    throw new InputError('taskDefinition is required to deploy: a revision of the service’s own family, as family:revision');
  }
  if (action !== 'deploy' && taskDefinition !== undefined) throw new InputError(`taskDefinition belongs to deploy only, not to ${action}`);
  let revision: string | undefined;
  if (taskDefinition !== undefined) {
    const m = TASK_DEFINITION.exec(taskDefinition);
    if (!m) throw new InputError('taskDefinition must be family:revision, such as web:12, or a task-definition ARN with its revision');
    revision = `${m[1]}:${m[2]}`;
  }
  return {
    entityRef: ref,
    action,
    ...(desiredCount !== undefined ? { desiredCount } : {}),
    ...(revision !== undefined ? { taskDefinition: revision } : {}),
    reason,
  };
}

function describe(field: string, message: string): string {
  switch (field) {
    case 'action':
      return `must be one of ${OPERATION_ACTIONS.join(', ')}`;
    case 'desiredCount':
      return 'must be a whole number of tasks, 0 or more';
    case 'entityRef':
      return 'must be an entity reference such as resource:default/my-service';
    case 'reason':
      return message.includes(String(MAX_REASON)) ? `must be text of at most ${MAX_REASON} characters` : 'must say why the change is made';
    default:
      return message.toLowerCase();
  }
}

/** `family:revision` → family. */
export function familyOf(taskDefinition: string): string {
  const tail = taskDefinition.slice(taskDefinition.lastIndexOf('/') + 1);
  return tail.slice(0, tail.lastIndexOf(':'));
}
