/**
 * Opaque pagination tokens. A token carries the key of the last item returned
 * (not an offset), so the next page is "items after that key": adding or
 * removing items between pages neither repeats nor skips survivors. The token
 * also names what it pages over, so a token passed to the wrong cluster or
 * operation is rejected like AWS rejects foreign tokens.
 */
export function encodeToken(kind: string, scope: string, lastKey: string): string {
  return Buffer.from(JSON.stringify([kind, scope, lastKey]), 'utf8').toString('base64');
}

/** The last key, or undefined when the token is malformed or belongs elsewhere. */
export function decodeToken(token: string, kind: string, scope: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === kind &&
      parsed[1] === scope &&
      typeof parsed[2] === 'string'
    ) {
      return parsed[2];
    }
  } catch {
    // fall through: not our token
  }
  return undefined;
}
