import type { ServiceSpec } from './fleet';

/** The in-process changes an admin request can make; each one puts its events on the bus as an API call would. */
export interface ServiceChangeTarget {
  addService(accountId: string, region: string, clusterName: string, spec: ServiceSpec): string;
  updateService(arn: string, changes: { desiredCount: number }): void;
  deleteService(arn: string): void;
  setServiceTags(arn: string, tags: Record<string, string> | null): void;
}

/**
 * `POST /__emulator/services`: a change to the fleet from outside the
 * process (a shell, a bench in another process), with the same effects and
 * events as the in-process methods. The body is one of
 * `{"change":"create","accountId","region","cluster","service":{"name",...}}`,
 * `{"change":"update","arn","desiredCount"}`, `{"change":"delete","arn"}`,
 * `{"change":"tag","arn","tags":{...}|null}`.
 */
export function applyServiceChange(body: string, target: ServiceChangeTarget): { status: number; json: unknown } {
  let request: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body || '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return bad('the body must be a JSON object');
    request = parsed as Record<string, unknown>;
  } catch {
    return bad('the body is not JSON');
  }
  const text = (key: string): string => {
    const value = request[key];
    if (typeof value !== 'string' || value === '') throw new Error(`${key} must be a non-empty string`);
    return value;
  };
  try {
    switch (request.change) {
      case 'create': {
        const service = request.service as ServiceSpec | undefined;
        if (typeof service !== 'object' || service === null || typeof service.name !== 'string') throw new Error('service must be an object with a name');
        return { status: 200, json: { serviceArn: target.addService(text('accountId'), text('region'), text('cluster'), service) } };
      }
      case 'update': {
        const desiredCount = request.desiredCount;
        if (typeof desiredCount !== 'number' || !Number.isInteger(desiredCount) || desiredCount < 0) throw new Error('desiredCount must be a whole number of at least 0');
        target.updateService(text('arn'), { desiredCount });
        return { status: 200, json: { serviceArn: request.arn } };
      }
      case 'delete':
        target.deleteService(text('arn'));
        return { status: 200, json: { serviceArn: request.arn } };
      case 'tag': {
        const tags = request.tags;
        if (tags !== null && (typeof tags !== 'object' || Array.isArray(tags) || Object.values(tags as object).some(v => typeof v !== 'string'))) {
          throw new Error('tags must be an object of strings, or null');
        }
        target.setServiceTags(text('arn'), tags as Record<string, string> | null);
        return { status: 200, json: { serviceArn: request.arn } };
      }
      default:
        return bad('change must be one of create, update, delete, tag');
    }
  } catch (error) {
    return bad(error instanceof Error ? error.message : String(error));
  }
}

function bad(message: string): { status: number; json: unknown } {
  return { status: 400, json: { message } };
}
