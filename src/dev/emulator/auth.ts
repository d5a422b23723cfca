/**
 * Reads who signed a request from its SigV4 Authorization header. Signatures are
 * deliberately not verified: the emulator only needs to know which access key
 * (hence which account) and which region the caller addressed.
 */
export interface SigV4Scope {
  accessKeyId: string;
  /** yyyymmdd from the credential scope. */
  date: string;
  region: string;
  service: string;
}

const CREDENTIAL_RE = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function parseSigV4(authorization: string | undefined): SigV4Scope | undefined {
  if (!authorization) return undefined;
  const m = CREDENTIAL_RE.exec(authorization);
  if (!m) return undefined;
  return { accessKeyId: m[1] as string, date: m[2] as string, region: m[3] as string, service: m[4] as string };
}
