import { DescribeServicesCommand, ECSClient, type Service, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { OperationAction, ServiceSnapshot } from '../gate/operationView';

/** Who the change is made as: the team's role, in a session named after the person. */
export interface OperateSession {
  roleArn: string;
  sourceIdentity: string;
  tags: Array<{ Key: string; Value: string }>;
  durationSeconds: number;
  region: string;
}

export interface ServiceAddress {
  clusterArn: string;
  serviceName: string;
}

export interface EcsChange extends ServiceAddress {
  action: OperationAction;
  desiredCount: number | null;
  taskDefinition: string | null;
}

/** What an operation needs from AWS, as the team's role: small enough to fake in a unit test. */
export interface OperatorApi {
  open(session: OperateSession): Promise<OperatorSession>;
}

export interface OperatorSession {
  describe(service: ServiceAddress): Promise<{ snapshot: ServiceSnapshot; requestId: string | null }>;
  change(change: EcsChange): Promise<{ snapshot: ServiceSnapshot; requestId: string | null }>;
  close(): void;
}

/** An AWS refusal or failure, in AWS's words, with the request id for the audit trail; never credentials. */
export class OperatorError extends Error {
  constructor(
    message: string,
    readonly awsRequestId: string | null,
    readonly code: string,
  ) {
    super(message);
    this.name = 'OperatorError';
  }
}

/**
 * Calls ECS as the owning team: `AssumeRole` from Backstage's own identity
 * (the credentials the AWS integration gives for the main account) into the
 * team's operate role, then DescribeServices and UpdateService with those
 * short-lived credentials only. No retries of the change itself: a write that
 * may have happened is reported, not repeated.
 */
export class EcsOperator implements OperatorApi {
  constructor(
    private readonly base: () => Promise<AwsCredentialIdentityProvider>,
    private readonly endpoint?: string,
  ) {}

  async open(session: OperateSession): Promise<OperatorSession> {
    const endpoint = this.endpoint ? { endpoint: this.endpoint } : {};
    const sts = new STSClient({ region: session.region, credentials: await this.base(), ...endpoint });
    let credentials;
    try {
      const assumed = await sts.send(
        new AssumeRoleCommand({
          RoleArn: session.roleArn,
          RoleSessionName: session.sourceIdentity,
          SourceIdentity: session.sourceIdentity,
          Tags: session.tags,
          DurationSeconds: session.durationSeconds,
        }),
      );
      const c = assumed.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new OperatorError(`STS returned no credentials for ${session.roleArn}`, assumed.$metadata.requestId ?? null, 'NoCredentials');
      credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    } catch (error) {
      throw asOperatorError(error, `Backstage could not assume ${session.roleArn}`);
    } finally {
      sts.destroy();
    }
    const ecs = new ECSClient({ region: session.region, credentials, maxAttempts: 1, ...endpoint });
    return {
      async describe(service) {
        try {
          const out = await ecs.send(new DescribeServicesCommand({ cluster: service.clusterArn, services: [service.serviceName] }));
          const found = out.services?.find(s => s.status !== 'INACTIVE');
          if (!found) {
            const reason = out.failures?.[0]?.reason ?? (out.services?.length ? 'INACTIVE' : 'MISSING');
            throw new OperatorError(`ECS service ${service.serviceName} in ${service.clusterArn} is not there (${reason})`, out.$metadata.requestId ?? null, reason);
          }
          return { snapshot: snapshotOf(found), requestId: out.$metadata.requestId ?? null };
        } catch (error) {
          throw asOperatorError(error, 'DescribeServices failed');
        }
      },
      async change(change) {
        try {
          const out = await ecs.send(
            new UpdateServiceCommand({
              cluster: change.clusterArn,
              service: change.serviceName,
              ...(change.action === 'restart' ? { forceNewDeployment: true } : {}),
              ...(change.action === 'scale' && change.desiredCount !== null ? { desiredCount: change.desiredCount } : {}),
              ...(change.action === 'deploy' && change.taskDefinition !== null ? { taskDefinition: change.taskDefinition } : {}),
            }),
          );
          if (!out.service) throw new OperatorError('UpdateService answered without the service', out.$metadata.requestId ?? null, 'NoService');
          return { snapshot: snapshotOf(out.service), requestId: out.$metadata.requestId ?? null };
        } catch (error) {
          throw asOperatorError(error, 'UpdateService failed');
        }
      },
      close() {
        ecs.destroy();
      },
    };
  }
}

/** desiredCount, `family:revision` and the PRIMARY deployment of a described service. */
export function snapshotOf(service: Service): ServiceSnapshot {
  const primary = service.deployments?.find(d => d.status === 'PRIMARY');
  const arn = primary?.taskDefinition ?? service.taskDefinition ?? '';
  return {
    desiredCount: service.desiredCount ?? 0,
    taskDefinition: arn.slice(arn.lastIndexOf('/') + 1),
    deploymentId: primary?.id ?? null,
  };
}

function asOperatorError(error: unknown, context: string): OperatorError {
  if (error instanceof OperatorError) return error;
  const e = error as { name?: string; message?: string; $metadata?: { requestId?: string } };
  const code = e.name ?? 'Error';
  return new OperatorError(`${context}: ${code}: ${e.message ?? String(error)}`, e.$metadata?.requestId ?? null, code);
}
