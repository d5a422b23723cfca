import { ListClustersCommand, ListServicesCommand } from '@aws-sdk/client-ecs';
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials, fromTokenFile } from '@aws-sdk/credential-providers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { startEmulator, type Emulator } from '../../dev/emulator/emulator';
import { MAIN, MAIN_KEYS, OTHER_KEYS, PROD, ZERO, destroyClients, ecs, rejection, smallFleet, sts } from './helpers';

const ROLE = `arn:aws:iam::${PROD}:role/backstage-ecs-read`;

describe('STS against the real STSClient and credential providers', () => {
  let emu: Emulator;
  let dir: string;
  beforeAll(async () => {
    emu = await startEmulator({ fleet: smallFleet(), faults: { rateLimit: false } });
    dir = mkdtempSync(path.join(tmpdir(), 'emu-sts-'));
  });
  beforeEach(() => emu.resetStats());
  afterEach(() => destroyClients());
  afterAll(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GetCallerIdentity returns the principal', async () => {
    const out = await sts(emu).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe(MAIN);
    expect(out.Arn).toBe(`arn:aws:iam::${MAIN}:user/backstage`);
    expect(out.UserId).toMatch(/^AIDA/);
  });

  it('AssumeRole needs the role ExternalId', async () => {
    const c = sts(emu);
    const denied = await rejection(c.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'scan' })));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    expect(denied.message).toBe(`User: arn:aws:iam::${MAIN}:user/backstage is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`);
    expect((await rejection(c.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'scan', ExternalId: 'wrong' })))).name).toBe('AccessDenied');

    const ok = await c.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'scan', ExternalId: 'ext-222' }));
    expect(ok.Credentials!.AccessKeyId).toMatch(/^ASIA[0-9A-F]{16}$/);
    expect(ok.Credentials!.SessionToken).toBeTruthy();
    expect(ok.Credentials!.Expiration!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(ok.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/backstage-ecs-read/scan`);
    expect(emu.stats.assumeRole[PROD]).toBe(3);
  });

  it('temporary credentials act in the target account', async () => {
    const ok = await sts(emu).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'scan', ExternalId: 'ext-222' }));
    const creds = {
      accessKeyId: ok.Credentials!.AccessKeyId!,
      secretAccessKey: ok.Credentials!.SecretAccessKey!,
      sessionToken: ok.Credentials!.SessionToken!,
    };
    const who = await sts(emu, { credentials: creds }).send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe(PROD);
    expect(who.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/backstage-ecs-read/scan`);
    // Without the session token the key is not valid.
    const noToken = await rejection(ecs(emu, { credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey } }).send(new ListClustersCommand({})));
    expect(noToken.name).toBe('UnrecognizedClientException');
  });

  it('denies untrusted callers and unknown roles', async () => {
    const outsider = sts(emu, { credentials: { ...OTHER_KEYS } });
    const err = await rejection(outsider.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ZERO}:role/backstage-ecs-read`, RoleSessionName: 'scan' })));
    expect(err.name).toBe('AccessDenied');
    expect(err.message).toContain('arn:aws:iam::333333333333:user/outsider');
    // A role without trustedAccounts accepts any known caller.
    await expect(outsider.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PROD}:role/open-role`, RoleSessionName: 'scan' }))).resolves.toBeDefined();
    const unknown = await rejection(sts(emu).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MAIN}:role/nope`, RoleSessionName: 'scan' })));
    expect(unknown.name).toBe('AccessDenied');
    const malformed = await rejection(sts(emu).send(new AssumeRoleCommand({ RoleArn: 'not-an-arn-but-long-enough', RoleSessionName: 's1' })));
    expect(malformed.name).toBe('ValidationError');
  });

  it('rejects unknown keys with InvalidClientTokenId', async () => {
    const err = await rejection(sts(emu, { credentials: { accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'x' } }).send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe('InvalidClientTokenId');
    expect(err.$metadata?.httpStatusCode).toBe(403);
  });

  it('fromTemporaryCredentials works end to end: the ECS call lands in the target account', async () => {
    const credentials = fromTemporaryCredentials({
      masterCredentials: { ...MAIN_KEYS },
      params: { RoleArn: ROLE, RoleSessionName: 'backstage', ExternalId: 'ext-222' },
      clientConfig: { endpoint: emu.url, region: 'us-east-1' },
    });
    const c = ecs(emu, { credentials });
    const out = await c.send(new ListServicesCommand({ cluster: 'search' }));
    expect(out.serviceArns).toEqual([`arn:aws:ecs:eu-west-1:${PROD}:service/search/checkout-api`]);
    expect(emu.stats.assumeRole[PROD]).toBe(1);
    expect(emu.stats.byScope[`${PROD}/eu-west-1`]).toBe(1);
  });

  it('fromTokenFile does web identity with a token file', async () => {
    const file = path.join(dir, 'token');
    writeFileSync(file, 'token-abc\n');
    const credentials = fromTokenFile({
      webIdentityTokenFile: file,
      roleArn: `arn:aws:iam::${PROD}:role/ecs-web`,
      roleSessionName: 'pod',
      clientConfig: { endpoint: emu.url, region: 'us-east-1' },
    });
    const c = ecs(emu, { credentials });
    const out = await c.send(new ListClustersCommand({}));
    expect(out.clusterArns).toEqual([`arn:aws:ecs:eu-west-1:${PROD}:cluster/search`]);
    expect(emu.stats.byAction['sts:AssumeRoleWithWebIdentity']).toBe(1);
  });

  it('web identity: wrong token is InvalidIdentityToken, a role without webIdentity is AccessDenied', async () => {
    // Unsigned, as the SDK sends it.
    const anon = new STSClient({ endpoint: emu.url, region: 'us-east-1' });
    try {
      const bad = await rejection(
        anon.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${PROD}:role/ecs-web`, RoleSessionName: 'pod', WebIdentityToken: 'forged' })),
      );
      // Query code InvalidIdentityToken, mapped by the SDK via the awsQueryError trait.
      expect(bad.name).toBe('InvalidIdentityTokenException');
      expect(bad.$metadata?.httpStatusCode).toBe(400);
      const denied = await rejection(
        anon.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE, RoleSessionName: 'pod', WebIdentityToken: 'token-abc' })),
      );
      expect(denied.name).toBe('AccessDenied');
    } finally {
      anon.destroy();
    }
  });

  it('expireAllSessions makes issued credentials fail with ExpiredTokenException', async () => {
    const ok = await sts(emu).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'scan', ExternalId: 'ext-222' }));
    const creds = { accessKeyId: ok.Credentials!.AccessKeyId!, secretAccessKey: ok.Credentials!.SecretAccessKey!, sessionToken: ok.Credentials!.SessionToken! };
    const c = ecs(emu, { credentials: creds });
    await c.send(new ListClustersCommand({}));
    emu.expireAllSessions();
    const err = await rejection(c.send(new ListClustersCommand({})));
    expect(err.name).toBe('ExpiredTokenException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    const stsErr = await rejection(sts(emu, { credentials: creds }).send(new GetCallerIdentityCommand({})));
    expect(stsErr.name).toBe('ExpiredToken');
    // Principals are long-lived and unaffected.
    await expect(ecs(emu).send(new ListClustersCommand({}))).resolves.toBeDefined();
  });

  it('credential lifetime: the knob, and DurationSeconds when smaller', async () => {
    emu.setFaults({ credentialLifetimeSeconds: 1200 });
    try {
      const c = sts(emu);
      const a = await c.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'scan', ExternalId: 'ext-222' }));
      const lifetime = (a.Credentials!.Expiration!.getTime() - Date.now()) / 1000;
      expect(lifetime).toBeGreaterThan(1100);
      expect(lifetime).toBeLessThanOrEqual(1200);
      const b = await c.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'scan', ExternalId: 'ext-222', DurationSeconds: 900 }));
      expect((b.Credentials!.Expiration!.getTime() - Date.now()) / 1000).toBeLessThanOrEqual(900);
    } finally {
      emu.setFaults({ credentialLifetimeSeconds: 3600 });
    }
  });

  it('also speaks STS over awsJson1_0 (X-Amz-Target), for SDKs that switch protocol', async () => {
    const call = async (action: string, body: object) => {
      const url = new URL(emu.url);
      const signer = new SignatureV4({ credentials: MAIN_KEYS, region: 'us-east-1', service: 'sts', sha256: Hash.bind(null, 'sha256') });
      const signed = await signer.sign({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        path: '/',
        headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSSecurityTokenServiceV20110615.${action}` },
        body: JSON.stringify(body),
      });
      return fetch(emu.url, { method: 'POST', headers: signed.headers, body: JSON.stringify(body) });
    };
    const who = await call('GetCallerIdentity', {});
    expect(who.status).toBe(200);
    expect(await who.json()).toEqual({ UserId: expect.stringMatching(/^AIDA/), Account: MAIN, Arn: `arn:aws:iam::${MAIN}:user/backstage` });
    const assumed = (await (await call('AssumeRole', { RoleArn: ROLE, RoleSessionName: 'scan', ExternalId: 'ext-222' })).json()) as {
      Credentials: { Expiration: number };
    };
    expect(typeof assumed.Credentials.Expiration).toBe('number');
    const denied = await call('AssumeRole', { RoleArn: ROLE, RoleSessionName: 'scan' });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-amzn-query-error')).toBe('AccessDenied;Sender');
    expect(((await denied.json()) as { __type: string }).__type).toBe('AccessDenied');
  });

  it('refuses a request signed with the wrong secret, as STS and ECS do, and names no secret', async () => {
    const wrong = { accessKeyId: MAIN_KEYS.accessKeyId, secretAccessKey: 'not-the-secret' };
    const stsError = await rejection(sts(emu, { credentials: wrong }).send(new GetCallerIdentityCommand({})));
    expect(stsError).toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    const ecsError = await rejection(ecs(emu, { credentials: wrong }).send(new ListClustersCommand({})));
    expect(ecsError).toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
    expect(String(ecsError.message)).not.toContain('not-the-secret');
    // Temporary keys sign with the secret STS issued for them, not their principal's.
    const out = await sts(emu).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'scan', ExternalId: 'ext-222' }));
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, sessionToken: out.Credentials!.SessionToken! };
    await expect(ecs(emu, { credentials: { ...session, secretAccessKey: out.Credentials!.SecretAccessKey! } }).send(new ListClustersCommand({}))).resolves.toBeDefined();
    expect(await rejection(ecs(emu, { credentials: { ...session, secretAccessKey: MAIN_KEYS.secretAccessKey } }).send(new ListClustersCommand({})))).toMatchObject({ name: 'InvalidSignatureException' });
  });
});
