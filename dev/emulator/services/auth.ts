/**
 * SigV4 as AWS checks it: who signed a request (the access key, hence the
 * account, and the region addressed), and whether the signature was made
 * with that key's secret. A wrong secret is refused as AWS refuses it, so the
 * error paths of bad or mixed-up credentials can be tried here too.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';

export interface SigV4Scope {
  accessKeyId: string;
  /** yyyymmdd from the credential scope. */
  date: string;
  region: string;
  service: string;
}

const CREDENTIAL_RE = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;
const SIGNED_HEADERS_RE = /SignedHeaders=([^,\s]+)/;
const SIGNATURE_RE = /Signature=([0-9a-f]{64})/;

export function parseSigV4(authorization: string | undefined): SigV4Scope | undefined {
  if (!authorization) return undefined;
  const m = CREDENTIAL_RE.exec(authorization);
  if (!m) return undefined;
  return { accessKeyId: m[1] as string, date: m[2] as string, region: m[3] as string, service: m[4] as string };
}

/** A request as it arrived: method, path with query, lower-case headers, body. */
export interface ArrivedRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: string;
}

/**
 * Signs the request again, over exactly the headers the client says it
 * signed, with the secret the emulator issued for its key, and compares.
 */
export async function signatureMatches(request: ArrivedRequest, scope: SigV4Scope, secretAccessKey: string): Promise<boolean> {
  const authorization = request.headers.authorization ?? '';
  const signed = SIGNED_HEADERS_RE.exec(authorization)?.[1]?.split(';');
  const given = SIGNATURE_RE.exec(authorization)?.[1];
  const amzDate = request.headers['x-amz-date'];
  if (!signed || !given || !amzDate || !signed.includes('host')) return false;

  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = request.headers[name];
    if (value === undefined) return false;
    headers[name] = value;
  }
  const [path, query = ''] = request.url.split('?');
  const signer = new SignatureV4({
    // The signer adds these two headers itself when asked to: only when the client signed them.
    credentials: { accessKeyId: scope.accessKeyId, secretAccessKey, sessionToken: headers['x-amz-security-token'] },
    applyChecksum: 'x-amz-content-sha256' in headers,
    region: scope.region,
    service: scope.service,
    sha256: Hash.bind(null, 'sha256'),
  });
  const toSign: HttpRequest = {
    method: request.method,
    protocol: 'http:',
    hostname: headers.host.split(':')[0] ?? '',
    path: path || '/',
    query: Object.fromEntries(new URLSearchParams(query)),
    headers,
    body: request.body,
  };
  const again = await signer.sign(toSign, { signingDate: parseAmzDate(amzDate) });
  return SIGNATURE_RE.exec(String(again.headers.authorization))?.[1] === given;
}

/** `20250301T100000Z` → that instant. */
function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : new Date(Number.NaN);
}
