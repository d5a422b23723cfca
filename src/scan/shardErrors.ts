import type { ShardError } from './inventory';

/** An ECS or STS call of a shard that failed after its retries; remembers which call. */
export class ShardCallError extends Error {
  readonly awsName: string;
  readonly awsMessage: string;

  constructor(
    readonly call: string,
    cause: unknown,
    readonly clusterArn?: string,
  ) {
    const { name, message } = errorParts(cause);
    super(`${call} failed: ${name}: ${message}`);
    this.name = 'ShardCallError';
    this.awsName = name;
    this.awsMessage = message;
  }
}

// ECS has no modelled ThrottlingException class, so throttles are recognised by name.
const THROTTLING_NAMES = new Set(['ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded']);
// Sessions AWS refuses before their stated expiry (expired, revoked, or unknown
// to the endpoint after a restart) are worth one new AssumeRole.
const EXPIRED_NAMES = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'UnrecognizedClientException', 'InvalidClientTokenId']);

export function isThrottlingError(error: unknown): boolean {
  return THROTTLING_NAMES.has(errorName(error));
}

export function isExpiredCredentialsError(error: unknown): boolean {
  return EXPIRED_NAMES.has(errorName(error));
}

/**
 * The error of a failed shard, worded for a person: which account, region and
 * call, then what AWS said. Credentials never reach it: key ids are masked and
 * nothing of the request (headers, signature) is read.
 */
export function describeShardError(error: unknown, accountId: string, region: string): ShardError {
  if (error instanceof ShardCallError) {
    const where = `account ${accountId}, region ${region}${error.clusterArn ? `, cluster ${clusterName(error.clusterArn)}` : ''}`;
    return { name: error.awsName, message: `${error.call} failed in ${where}: ${error.awsName}: ${error.awsMessage}` };
  }
  const { name, message } = errorParts(error);
  return { name, message: `scan failed in account ${accountId}, region ${region}: ${name}: ${message}` };
}

function errorParts(error: unknown): { name: string; message: string } {
  // Network failures reach us as plain Errors; their code (ECONNRESET, ...) says more than "Error".
  const code = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  const plain = errorName(error) || 'Error';
  const name = plain === 'Error' && typeof code === 'string' && code !== '' ? code : plain;
  const given = error && typeof error === 'object' ? (error as { message?: unknown }).message : error;
  const raw = typeof given === 'string' ? given : '';
  const message = redact(raw.trim()) || (name === 'UnknownError' ? 'AWS sent an error without a message' : 'AWS sent no message');
  return { name, message };
}

function errorName(error: unknown): string {
  if (error && typeof error === 'object' && typeof (error as { name?: unknown }).name === 'string') {
    return (error as { name: string }).name;
  }
  return '';
}

/** Masks anything that looks like an access key id, a session token or a signature. */
export function redact(text: string): string {
  return text
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '$1****')
    .replace(/(Signature=)[0-9a-f]+/gi, '$1****')
    .replace(/(X-Amz-Security-Token=|SessionToken=?)[^\s&,]+/gi, '$1****');
}

function clusterName(clusterArn: string): string {
  return clusterArn.slice(clusterArn.lastIndexOf('/') + 1);
}
