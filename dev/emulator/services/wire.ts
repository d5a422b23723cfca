/**
 * Wire shapes of AWS responses and errors, as the SDK's protocol code parses them
 * (@aws-sdk/core/protocols: AwsJson1_0/1_1Protocol and AwsQueryProtocol).
 *
 * JSON services (awsJson1_0 / awsJson1_1): the SDK takes the error name from the
 * body's `__type` (then `code`, then the `x-amzn-ErrorType` header), strips any
 * `namespace#` prefix and `:suffix`, and looks it up in the client's error
 * registry; unknown names become the client's ServiceException with `name` set to
 * the code. Timestamps are epoch seconds as JSON numbers.
 *
 * Query services (STS): errors are `<ErrorResponse><Error><Code>`; the code is
 * matched against the awsQueryError trait, so e.g. code `InvalidIdentityToken`
 * surfaces as `InvalidIdentityTokenException`, while unmodelled codes
 * (`AccessDenied`, `InvalidClientTokenId`, `ExpiredToken`) keep their name.
 */
import type { ServerResponse } from 'node:http';

export type WireProtocol = 'json1.0' | 'json1.1' | 'query';

/** An error a service returns to the caller. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    /** Extra members serialised into the JSON error body (e.g. Organizations' `Reason`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = code;
  }

  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

const XML_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (ch) =>
    ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : ch === "'" ? '&apos;' : '&quot;',
  );
}

/** ISO-8601 without milliseconds, as STS writes its timestamps. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Serialises a result tree to XML. Plain objects become nested elements, arrays
 * become `<member>` lists (the query protocol's default list encoding), Dates
 * become ISO-8601 strings; undefined members are left out.
 */
export function toXml(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return `<${name}>${isoSeconds(value)}</${name}>`;
  if (Array.isArray(value)) return `<${name}>${value.map((v) => toXml('member', v)).join('')}</${name}>`;
  if (typeof value === 'object') {
    let inner = '';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) inner += toXml(k, v);
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/** JSON.stringify replacer turning Dates into epoch seconds, as awsJson timestamps are. */
export function jsonReplacer(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Date) return raw.getTime() / 1000;
  return value;
}

export function queryResponseXml(action: string, result: unknown, requestId: string): string {
  return (
    `<${action}Response xmlns="${XML_NS}">` +
    toXml(`${action}Result`, result ?? {}) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>`
  );
}

export function queryErrorXml(err: AwsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${XML_NS}">` +
    `<Error><Type>${err.fault}</Type><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId>` +
    `</ErrorResponse>`
  );
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonContentType(protocol: WireProtocol): string {
  return protocol === 'json1.0' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
}

/**
 * @param hasDates the result holds Date objects (STS); ECS and friends build
 *   epoch-second numbers themselves, which spares the replacer on the hot path.
 */
export function successResponse(
  protocol: WireProtocol,
  action: string,
  result: unknown,
  requestId: string,
  hasDates = false,
): WireResponse {
  if (protocol === 'query') {
    return { status: 200, headers: { 'content-type': 'text/xml' }, body: queryResponseXml(action, result, requestId) };
  }
  return {
    status: 200,
    headers: { 'content-type': jsonContentType(protocol) },
    body: hasDates ? JSON.stringify(result ?? {}, jsonReplacer) : JSON.stringify(result ?? {}),
  };
}

/**
 * @param queryCompatible for STS over JSON: AWS adds `x-amzn-query-error: Code;Type`
 *   so clients can recover the query-protocol error code.
 */
export function errorResponse(protocol: WireProtocol, err: AwsError, requestId: string, queryCompatible = false): WireResponse {
  if (protocol === 'query') {
    return { status: err.status, headers: { 'content-type': 'text/xml' }, body: queryErrorXml(err, requestId) };
  }
  const headers: Record<string, string> = {
    'content-type': jsonContentType(protocol),
    'x-amzn-errortype': err.code,
  };
  if (queryCompatible) headers['x-amzn-query-error'] = `${err.code};${err.fault}`;
  return {
    status: err.status,
    headers,
    body: JSON.stringify({ __type: err.code, message: err.message, ...err.extra }),
  };
}

export function writeResponse(res: ServerResponse, response: WireResponse, requestId: string): void {
  if (res.destroyed || res.writableEnded) return;
  const body = Buffer.from(response.body, 'utf8');
  res.writeHead(response.status, {
    ...response.headers,
    'content-length': String(body.length),
    'x-amzn-RequestId': requestId,
  });
  res.end(body);
}
