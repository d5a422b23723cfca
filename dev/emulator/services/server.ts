/**
 * The one HTTP server behind every emulated service. Routing follows what the
 * SDK puts on the wire:
 *  - JSON services carry `X-Amz-Target: <ServiceTarget>.<Operation>`;
 *  - STS (awsQuery) posts `application/x-www-form-urlencoded` with `Action=`.
 * Then: identify the caller from SigV4, count, run onRequest hooks, inject
 * faults, call the service handler, and reply (after `latencyMs`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSigV4, signatureMatches } from './auth';
import { authorizeCall } from './callAuthorization';
import type { CallLog, CallOutcome } from './callLog';
import { ECS_TARGET_PREFIX, handleEcs, isEcsAction } from './ecs';
import { FaultInjector } from './faults';
import { AuthFailure, type Caller, type IdentityStore } from './identity';
import type { Input } from './input';
import { ORGANIZATIONS_TARGET_PREFIX, handleOrganizations } from './organizations';
import type { FleetState } from './state';
import type { StatsCollector } from './stats';
import { SQS_TARGET_PREFIX, type SqsQueues } from './sqs';
import { STS_TARGET_PREFIX, UNSIGNED_STS_ACTIONS, handleSts } from './sts';
import { TAGGING_TARGET_PREFIX, handleTagging } from './tagging';
import { AwsError, errorResponse, successResponse, writeResponse, type WireProtocol, type WireResponse } from './wire';

export type ServiceName = 'ecs' | 'tagging' | 'organizations' | 'sts' | 'sqs';

export interface RequestInfo {
  service: ServiceName;
  action: string;
  /** Account the caller acts in; undefined when the request is unsigned or its key is refused. */
  accountId?: string;
  /** Region from the signature (STS and Organizations default to us-east-1). */
  region?: string;
  /** Request members: the parsed JSON body, or the form fields for STS. */
  body: Input;
}

/** Runs before the request is handled; may mutate the fleet (e.g. between pages). */
export type RequestHook = (info: RequestInfo) => void | Promise<void>;

/**
 * The emulator's own routes under `/__emulator/` (no AWS service has such a
 * path): a method, the path after the prefix and the body in, JSON out.
 */
export type AdminRoutes = (method: string, path: string, body: string, query: URLSearchParams) => { status: number; json: unknown };

export const ADMIN_PREFIX = '/__emulator/';

export interface ServerDeps {
  state(): FleetState;
  readonly admin?: AdminRoutes;
  readonly identity: IdentityStore;
  readonly faults: FaultInjector;
  readonly stats: StatsCollector;
  readonly hooks: ReadonlySet<RequestHook>;
  readonly sqs: SqsQueues;
  /** Epoch milliseconds for timestamps the services write. */
  readonly clock?: () => number;
  /** Told of every service an ECS write changed. */
  readonly serviceUpdated?: (serviceArn: string) => void;
  /** Where every answered call is recorded. */
  readonly callLog?: CallLog;
}

interface Route {
  service: ServiceName;
  protocol: WireProtocol;
  action: string;
  input: Input;
}

const JSON_TARGETS: Record<string, { service: ServiceName; protocol: WireProtocol }> = {
  [ECS_TARGET_PREFIX]: { service: 'ecs', protocol: 'json1.1' },
  [TAGGING_TARGET_PREFIX]: { service: 'tagging', protocol: 'json1.1' },
  [ORGANIZATIONS_TARGET_PREFIX]: { service: 'organizations', protocol: 'json1.1' },
  [STS_TARGET_PREFIX]: { service: 'sts', protocol: 'json1.0' },
  [SQS_TARGET_PREFIX]: { service: 'sqs', protocol: 'json1.0' },
};

/** Global services: the SDK signs them for us-east-1, but don't insist. */
const DEFAULT_REGION = 'us-east-1';

class RouteError extends Error {
  constructor(
    readonly protocol: WireProtocol,
    readonly error: AwsError,
  ) {
    super(error.message);
  }
}

/** Headers by lower-case name, repeated ones joined as they are for signing. */
function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value.join(',') : value;
  return out;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function route(req: IncomingMessage, body: string): Route {
  const target = header(req, 'x-amz-target');
  if (target !== undefined) {
    const dot = target.lastIndexOf('.');
    const known = dot > 0 ? JSON_TARGETS[target.slice(0, dot)] : undefined;
    if (!known) throw new RouteError('json1.1', new AwsError('UnknownOperationException', `Unknown target ${target}`, 400));
    let input: unknown = {};
    if (body.trim() !== '') {
      try {
        input = JSON.parse(body);
      } catch {
        throw new RouteError(known.protocol, new AwsError('SerializationException', 'Request body is not valid JSON', 400));
      }
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new RouteError(known.protocol, new AwsError('SerializationException', 'Request body must be a JSON object', 400));
    }
    return { ...known, action: target.slice(dot + 1), input: input as Input };
  }
  // awsQuery: form body on POST, or the query string on GET (as some tools send it).
  const query = (req.url ?? '').split('?')[1] ?? '';
  const form = new URLSearchParams(req.method === 'GET' ? query : body);
  const action = form.get('Action');
  if (!action) throw new RouteError('query', new AwsError('MissingAction', 'Missing Action parameter', 400));
  return { service: 'sts', protocol: 'query', action, input: Object.fromEntries(form) };
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Each service's words for "who are you?". */
function authError(service: ServiceName, reason: AuthFailure['reason']): AwsError {
  if (service === 'sts') {
    if (reason === 'expired') return new AwsError('ExpiredToken', 'The security token included in the request is expired', 403);
    if (reason === 'missing') return new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    if (reason === 'signature') return new AwsError('SignatureDoesNotMatch', SIGNATURE_MISMATCH, 403);
    return new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }
  if (reason === 'expired') return new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 400);
  if (reason === 'missing') return new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400);
  if (reason === 'signature') return new AwsError('InvalidSignatureException', SIGNATURE_MISMATCH, 400);
  return new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
}

export class EmulatorServer {
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly deps: ServerDeps) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        // Only reachable on a bug in the emulator itself; answer rather than hang.
        const requestId = randomUUID();
        writeResponse(res, errorResponse('json1.1', new AwsError('InternalFailure', String(e), 500), requestId), requestId);
      });
    });
    // Scanners keep connections alive; don't let idle ones outlive tests for long.
    this.server.keepAliveTimeout = 5_000;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  get address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  /** Stops accepting, drops every open socket and pending delayed reply. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.deps.sqs.close();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const requestId = randomUUID();

    const path = (req.url ?? '').split('?')[0] ?? '';
    if (this.deps.admin && path.startsWith(ADMIN_PREFIX) && header(req, 'x-amz-target') === undefined) {
      const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
      const { status, json } = this.deps.admin(req.method ?? 'GET', path.slice(ADMIN_PREFIX.length), body, query);
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-RequestId': requestId });
      res.end(JSON.stringify(json));
      return;
    }

    if (req.method === 'GET' && header(req, 'x-amz-target') === undefined && !(req.url ?? '').includes('Action=')) {
      // A friendly answer for humans poking the endpoint with a browser or curl.
      res.writeHead(200, { 'content-type': 'text/plain', 'x-amzn-RequestId': requestId });
      res.end('AWS emulator (ECS, Resource Groups Tagging API, Organizations, STS, SQS)\n');
      return;
    }

    let response: WireResponse;
    try {
      response = await this.dispatch(req, body, requestId);
    } catch (e) {
      if (!(e instanceof RouteError)) throw e;
      this.recordError(e.error);
      response = errorResponse(e.protocol, e.error, requestId);
    }
    this.reply(res, response, requestId);
  }

  private async dispatch(req: IncomingMessage, body: string, requestId: string): Promise<WireResponse> {
    const r = route(req, body);
    const outcome: CallOutcome = { service: r.service, action: r.action, requestId, input: r.input, at: Date.now(), userAgent: header(req, 'user-agent') };
    try {
      return await this.serve(req, body, requestId, r, outcome);
    } finally {
      this.deps.callLog?.record(outcome);
    }
  }

  private async serve(req: IncomingMessage, body: string, requestId: string, r: Route, outcome: CallOutcome): Promise<WireResponse> {
    const { identity, stats, faults } = this.deps;
    const state = this.deps.state();
    const sig = parseSigV4(header(req, 'authorization'));
    const global = r.service === 'sts' || r.service === 'organizations';
    const region = sig?.region ?? (global ? DEFAULT_REGION : undefined);
    const unsigned = r.service === 'sts' && UNSIGNED_STS_ACTIONS.has(r.action);

    let caller: Caller | undefined;
    let refused: AwsError | undefined;
    if (!unsigned) {
      try {
        if (!sig) throw new AuthFailure('missing');
        const known = identity.resolve(sig.accessKeyId, header(req, 'x-amz-security-token'));
        const arrived = { method: req.method ?? 'POST', url: req.url ?? '/', headers: headersOf(req), body };
        if (!(await signatureMatches(arrived, sig, known.secretAccessKey))) throw new AuthFailure('signature');
        caller = known.caller;
      } catch (e) {
        if (!(e instanceof AuthFailure)) throw e;
        refused = authError(r.service, e.reason);
      }
    }

    stats.call(r.service, r.action, caller?.accountId, caller ? region : undefined);
    outcome.caller = caller;
    outcome.region = region;
    outcome.accessKeyId = sig?.accessKeyId;
    const fail = (err: AwsError): WireResponse => {
      outcome.error = { code: err.code, message: err.message };
      this.recordError(err);
      return errorResponse(r.protocol, err, requestId, r.service === 'sts' && r.protocol !== 'query');
    };

    try {
      for (const hook of this.deps.hooks) {
        await hook({ service: r.service, action: r.action, accountId: caller?.accountId, region, body: r.input });
      }
      if (refused) return fail(refused);
      let result: unknown;
      switch (r.service) {
        case 'ecs':
        case 'tagging': {
          const ctx = { state, caller: caller as Caller, region: region as string, now: this.deps.clock, serviceUpdated: this.deps.serviceUpdated };
          if (r.service === 'ecs') {
            if (!isEcsAction(r.action)) throw new AwsError('UnknownOperationException', `Operation ${r.action} is not supported by the emulator.`, 400);
            authorizeCall(ctx, 'ecs', r.action, r.input);
            faults.check('ecs', r.action, ctx.caller, ctx.region);
            result = handleEcs(ctx, r.action, r.input);
          } else {
            authorizeCall(ctx, 'tagging', r.action, r.input);
            faults.check('tagging', r.action, ctx.caller, ctx.region);
            result = handleTagging(ctx, r.action, r.input);
          }
          break;
        }
        case 'sqs':
          result = await this.deps.sqs.handle(caller?.accountId, r.action, r.input);
          break;
        case 'organizations':
          result = handleOrganizations({ state, caller: caller as Caller }, r.action, r.input);
          break;
        case 'sts':
          result = handleSts(
            { state, identity, stats, caller, credentialLifetimeSeconds: faults.faults.credentialLifetimeSeconds },
            r.action,
            r.input,
          );
          outcome.result = result;
          return successResponse(r.protocol, r.action, result, requestId, true);
      }
      return successResponse(r.protocol, r.action, result, requestId);
    } catch (e) {
      if (e instanceof AwsError) return fail(e);
      const message = e instanceof Error ? e.message : String(e);
      return fail(new AwsError('InternalFailure', `Emulator failure: ${message}`, 500));
    }
  }

  private recordError(err: AwsError): void {
    this.deps.stats.error(err.code, err.status, FaultInjector.isThrottling(err.code));
  }

  private reply(res: ServerResponse, response: WireResponse, requestId: string): void {
    const latency = this.deps.faults.faults.latencyMs;
    if (latency <= 0 || this.closed) {
      writeResponse(res, response, requestId);
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      writeResponse(res, response, requestId);
    }, latency);
    this.timers.add(t);
  }
}
