/**
 * AWS STS. The SDK (client-sts and the nested client used by
 * @aws-sdk/credential-providers) speaks the awsQuery protocol: a form-encoded
 * POST `Action=AssumeRole&Version=2011-06-15&...` answered with XML. STS also
 * has an awsJson1_0 endpoint (X-Amz-Target AWSSecurityTokenServiceV20110615.*)
 * that the SDK's protocol settings already name; handlers here are protocol
 * neutral (results hold Dates) and the server serialises for either.
 *
 * Error codes are the query ones (`AccessDenied`, `InvalidIdentityToken`, ...);
 * the SDK maps `InvalidIdentityToken` to InvalidIdentityTokenException through the
 * awsQueryError trait, unmodelled ones keep their code as `name`.
 */
import type { FleetState } from './state';
import type { Caller, IdentityStore, Session } from './identity';
import { chainedSession, readSessionRequest, refusedByTrust, trustContext } from './sessionRequest';
import { InputReader, type Input } from './input';
import type { StatsCollector } from './stats';
import { AwsError } from './wire';

export const STS_TARGET_PREFIX = 'AWSSecurityTokenServiceV20110615';

export interface StsContext {
  readonly state: FleetState;
  readonly identity: IdentityStore;
  readonly stats: StatsCollector;
  /** Undefined only for AssumeRoleWithWebIdentity, which is unsigned. */
  readonly caller: Caller | undefined;
  readonly credentialLifetimeSeconds: number;
}

const ROLE_ARN_RE = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;
const SESSION_NAME_RE = /^[\w+=,.@-]{2,64}$/;

/** Actions that need no signature (the SDK sends them with the noAuth scheme). */
export const UNSIGNED_STS_ACTIONS: ReadonlySet<string> = new Set(['AssumeRoleWithWebIdentity']);

function accessDenied(message: string): AwsError {
  return new AwsError('AccessDenied', message, 403);
}

function credentialsResult(s: Session): Record<string, unknown> {
  return {
    Credentials: {
      AccessKeyId: s.accessKeyId,
      SecretAccessKey: s.secretAccessKey,
      SessionToken: s.sessionToken,
      Expiration: new Date(s.expiresAt),
    },
    AssumedRoleUser: { AssumedRoleId: s.assumedRoleId, Arn: s.arn },
  };
}

function readAssume(ctx: StsContext, r: InputReader) {
  const roleArn = r.requiredString('RoleArn');
  const sessionName = r.requiredString('RoleSessionName');
  if (!SESSION_NAME_RE.test(sessionName)) {
    r.fail(`1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  const session = readSessionRequest(r.raw);
  // Without DurationSeconds the session lives as long as the faults allow (STS's own default is 3600).
  const duration = session.durationSeconds ?? Number.POSITIVE_INFINITY;
  const m = ROLE_ARN_RE.exec(roleArn);
  if (!m) r.fail(`${roleArn} is invalid`);
  const accountId = m[1] as string;
  const roleName = m[2] as string;
  ctx.stats.assumeRole(accountId);
  const role = ctx.state.accounts.get(accountId)?.roles.get(roleName);
  const lifetimeSeconds = Math.min(ctx.credentialLifetimeSeconds, duration);
  return { roleArn, sessionName, accountId, roleName, role, lifetimeSeconds, session };
}

export function handleSts(ctx: StsContext, action: string, input: Input): unknown {
  const r = new InputReader(input, 'ValidationError');
  switch (action) {
    case 'GetCallerIdentity': {
      const c = ctx.caller as Caller;
      return { UserId: c.userId, Account: c.accountId, Arn: c.arn };
    }
    case 'AssumeRole': {
      const caller = ctx.caller as Caller;
      const a = readAssume(ctx, r);
      const externalId = r.string('ExternalId');
      const denied = (action = 'sts:AssumeRole') =>
        accessDenied(`User: ${caller.arn} is not authorized to perform: ${action} on resource: ${a.roleArn}`);
      if (!a.role) throw denied();
      const session = chainedSession(caller, a.session);
      if (a.role.trustPolicy) {
        const context = trustContext(caller, session, { roleSessionName: a.sessionName, externalId });
        const refused = refusedByTrust(a.role.trustPolicy, a.roleArn, caller, session, context);
        if (refused !== undefined) throw denied(refused);
      } else {
        if (a.role.trustedAccounts && !a.role.trustedAccounts.includes(caller.accountId)) throw denied();
        if (a.role.externalId !== undefined && externalId !== a.role.externalId) throw denied();
      }
      const s = ctx.identity.issue({
        accountId: a.accountId,
        roleName: a.roleName,
        sessionName: a.sessionName,
        lifetimeSeconds: a.lifetimeSeconds,
        sourceIdentity: session.sourceIdentity,
        tags: session.tags,
        transitiveTagKeys: session.transitiveTagKeys,
      });
      return { ...credentialsResult(s), SourceIdentity: s.sourceIdentity };
    }
    case 'AssumeRoleWithWebIdentity': {
      const token = r.requiredString('WebIdentityToken');
      const a = readAssume(ctx, r);
      const accepted = a.role?.webIdentity?.tokens;
      if (!accepted) throw accessDenied('Not authorized to perform sts:AssumeRoleWithWebIdentity');
      // Token files usually end with a newline; the SDK sends the file verbatim.
      if (!accepted.includes(token.trim())) {
        throw new AwsError(
          'InvalidIdentityToken',
          'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.',
          400,
        );
      }
      const s = ctx.identity.issue({ accountId: a.accountId, roleName: a.roleName, sessionName: a.sessionName, lifetimeSeconds: a.lifetimeSeconds });
      return {
        ...credentialsResult(s),
        SubjectFromWebIdentityToken: `emulator:${a.sessionName}`,
        Audience: 'sts.amazonaws.com',
        Provider: 'emulator.local',
      };
    }
    default:
      throw new AwsError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`, 400);
  }
}
