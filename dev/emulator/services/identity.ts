/**
 * Caller identities: long-lived principals from the fleet, and temporary
 * sessions issued by AssumeRole / AssumeRoleWithWebIdentity. Resolving an
 * access key tells us the account a request acts in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { PrincipalSpec } from '../fleet';

export interface Caller {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly arn: string;
  readonly userId: string;
}

export interface Session extends Caller {
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** Epoch milliseconds, already truncated to whole seconds like STS's Expiration. */
  expiresAt: number;
  readonly roleArn: string;
  readonly roleName: string;
  readonly sessionName: string;
  readonly assumedRoleId: string;
  /** Epoch milliseconds. */
  readonly issuedAt: number;
  readonly sourceIdentity?: string;
  /** Session tags in the order given; keys are unique case-insensitively. */
  readonly tags: readonly SessionTag[];
  /** Keys of `tags` that pass on to sessions this one assumes. */
  readonly transitiveTagKeys: readonly string[];
}

export interface SessionTag {
  readonly key: string;
  readonly value: string;
}

/** The session behind a caller, when the caller is one. */
export function sessionOf(caller: Caller | undefined): Session | undefined {
  return caller !== undefined && 'roleArn' in caller ? (caller as Session) : undefined;
}

/** What to issue a session for, beyond the role and its name. */
export interface SessionAttributes {
  sourceIdentity?: string;
  tags?: readonly SessionTag[];
  transitiveTagKeys?: readonly string[];
}

/** Why a key was refused; each service turns this into its own error code. */
export class AuthFailure extends Error {
  constructor(readonly reason: 'invalid' | 'expired' | 'missing' | 'signature') {
    super(reason);
  }
}

function principalCaller(p: PrincipalSpec, index: number): Caller {
  return {
    accessKeyId: p.accessKeyId,
    accountId: p.accountId,
    arn: p.arn ?? `arn:aws:iam::${p.accountId}:user/principal-${index}`,
    // IAM user ids start with AIDA; derive one stably from the key.
    userId: `AIDA${hashId(p.accessKeyId)}`,
  };
}

/** 17 upper-case characters, stable for the input (role and user ids). */
export function hashId(s: string): string {
  return createHash('sha1').update(s).digest('hex').slice(0, 17).toUpperCase();
}

export class IdentityStore {
  private principals = new Map<string, { caller: Caller; secretAccessKey: string }>();
  private readonly sessions = new Map<string, Session>();

  constructor(principals: readonly PrincipalSpec[]) {
    this.setPrincipals(principals);
  }

  setPrincipals(principals: readonly PrincipalSpec[]): void {
    this.principals = new Map(principals.map((p, i) => [p.accessKeyId, { caller: principalCaller(p, i), secretAccessKey: p.secretAccessKey }]));
  }

  /**
   * The caller a key stands for, and the secret its requests must be signed with.
   * @param sessionToken the X-Amz-Security-Token header; temporary keys are only
   *   valid together with the token they were issued with.
   */
  resolve(accessKeyId: string, sessionToken: string | undefined, now = Date.now()): { caller: Caller; secretAccessKey: string } {
    const principal = this.principals.get(accessKeyId);
    if (principal) return principal;
    const session = this.sessions.get(accessKeyId);
    if (!session || session.sessionToken !== sessionToken) throw new AuthFailure('invalid');
    if (session.expiresAt <= now) throw new AuthFailure('expired');
    return { caller: session, secretAccessKey: session.secretAccessKey };
  }

  issue(opts: { accountId: string; roleName: string; sessionName: string; lifetimeSeconds: number; now?: number } & SessionAttributes): Session {
    const now = opts.now ?? Date.now();
    const roleArn = `arn:aws:iam::${opts.accountId}:role/${opts.roleName}`;
    const roleId = `AROA${hashId(roleArn)}`;
    // STS reports Expiration to the second; keep our record identical so the
    // SDK and the emulator agree on when the credentials die.
    const expiresAt = Math.floor((now + opts.lifetimeSeconds * 1000) / 1000) * 1000;
    const session: Session = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `EMU${randomBytes(96).toString('base64')}`,
      expiresAt,
      accountId: opts.accountId,
      arn: `arn:aws:sts::${opts.accountId}:assumed-role/${opts.roleName}/${opts.sessionName}`,
      userId: `${roleId}:${opts.sessionName}`,
      roleArn,
      roleName: opts.roleName,
      sessionName: opts.sessionName,
      assumedRoleId: `${roleId}:${opts.sessionName}`,
      issuedAt: now,
      sourceIdentity: opts.sourceIdentity,
      tags: opts.tags ?? [],
      transitiveTagKeys: opts.transitiveTagKeys ?? [],
    };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }

  /** Every session issued so far expires now (credentials dying mid-scan). */
  expireAll(now = Date.now()): void {
    for (const s of this.sessions.values()) s.expiresAt = Math.min(s.expiresAt, now - 1);
  }

  /** The secrets of every session issued so far, so tests can prove none of them leaks. */
  issuedSecrets(): string[] {
    return [...this.sessions.values()].flatMap(s => [s.accessKeyId, s.secretAccessKey, s.sessionToken]);
  }

  firstPrincipal(): Caller | undefined {
    return this.principals.values().next().value?.caller;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }
}
