import { createHash } from 'node:crypto';

const MAX_NAME = 63;
const HASH_LENGTH = 10;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * The catalog name of a service: readable (from the service name), unique (a
 * hash of the full ARN, so the same name in another cluster, region or account
 * differs), valid (at most 63 characters, alphanumeric at both ends) and stable
 * (it depends on this service's ARN alone, never on which other services exist).
 */
export function entityNameFor(service: { arn: string; name: string }): string {
  const readable = sanitize(service.name).slice(0, MAX_NAME - HASH_LENGTH - 1).replace(/[-_.]+$/, '');
  return `${readable || 'ecs-service'}-${arnHash(service.arn)}`;
}

function sanitize(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/[-_.]{2,}/g, '-')
    .replace(/^[-_.]+|[-_.]+$/g, '');
}

/** 50 bits of the ARN's SHA-256 in lower-case base32: collisions stay negligible for millions of services. */
export function arnHash(arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < HASH_LENGTH) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === HASH_LENGTH) break;
    value &= (1 << bits) - 1;
  }
  return out;
}
