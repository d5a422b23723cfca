import { DescribeServicesCommand, ListClustersCommand, ListServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { AssumeRoleCommand, GetCallerIdentityCommand, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, type CallRecord, type Emulator } from '../../dev/emulator/emulator';
import type { Fleet, PolicyDocument } from '../../dev/emulator/fleet';
import { destroyClients, ecs, MAIN, MAIN_KEYS, OTHER_KEYS, rejection, sts } from './helpers';

const BACKSTAGE = `arn:aws:iam::${MAIN}:user/backstage`;
const ROLE_A = `arn:aws:iam::${MAIN}:role/ecs-operate-team-a`;
const ROLE_B = `arn:aws:iam::${MAIN}:role/ecs-operate-team-b`;
const SHOP = `arn:aws:ecs:eu-west-1:${MAIN}:cluster/shop`;
const CART = `arn:aws:ecs:eu-west-1:${MAIN}:service/shop/cart`;
const SEARCH = `arn:aws:ecs:eu-west-1:${MAIN}:service/shop/search`;
const ALICE = 'user.default.alice';

/** What `ecs-catalog-sync iam-policy --profile operate` writes for team-a in this account. */
function operatePolicy(): PolicyDocument {
  const golden = JSON.parse(readFileSync(path.join(__dirname, '../access/golden/team-a.operate.json'), 'utf8')) as {
    policies: Array<{ accountId: string; document: PolicyDocument }>;
  };
  return golden.policies.find(p => p.accountId === MAIN)!.document;
}

/** The backend may assume a role naming the user, without session tags. */
function untaggedTrust(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: BACKSTAGE }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Condition: { StringLike: { 'sts:SourceIdentity': 'user.*' } } }],
  };
}

/** The backend may assume a team's operate role only for that team, naming the user. */
function trustFor(team: string, actions = ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession']): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: BACKSTAGE },
        Action: actions,
        Condition: {
          StringEquals: { 'aws:RequestTag/team': team },
          StringLike: { 'sts:SourceIdentity': 'user.*' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'operation', 'request'] },
        },
      },
    ],
  };
}

function fleet(): Fleet {
  return {
    principals: [
      { ...MAIN_KEYS, accountId: MAIN, arn: BACKSTAGE },
      { ...OTHER_KEYS, accountId: '333333333333', arn: 'arn:aws:iam::333333333333:user/outsider' },
    ],
    accounts: [
      {
        id: MAIN,
        roles: [
          { name: 'backstage-ecs-read', trustedAccounts: [MAIN] },
          { name: 'ecs-operate-team-a', trustPolicy: trustFor('team-a'), policies: [operatePolicy()] },
          {
            name: 'ecs-operate-team-b',
            trustPolicy: untaggedTrust(),
            policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Resource: [SEARCH] }] }],
          },
        ],
        regions: {
          'eu-west-1': {
            clusters: [
              { name: 'shop', services: [{ name: 'cart', desiredCount: 2 }, { name: 'checkout' }, { name: 'search', tags: { team: 'team-b' } }] },
              { name: 'other', services: [{ name: 'batch' }] },
            ],
          },
        },
      },
    ],
  };
}

function assume(emu: Emulator, input: Partial<AssumeRoleCommandInput>, keys = MAIN_KEYS) {
  return sts(emu, { credentials: { ...keys } }).send(
    new AssumeRoleCommand({
      RoleArn: ROLE_A,
      RoleSessionName: 'op-restart-42',
      SourceIdentity: ALICE,
      Tags: [
        { Key: 'team', Value: 'team-a' },
        { Key: 'operation', Value: 'restart' },
      ],
      ...input,
    }),
  );
}

async function sessionKeys(emu: Emulator, input: Partial<AssumeRoleCommandInput> = {}) {
  const out = await assume(emu, input);
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

describe('team operate roles: trust policies, session tags and identity policies', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ fleet: fleet(), faults: { rateLimit: false } });
  });
  beforeEach(() => emu.clearCallLog());
  afterEach(() => destroyClients());
  afterAll(async () => {
    await emu.close();
  });

  it('lets the backend assume the team role with source identity and tags, and the session keeps them', async () => {
    const out = await assume(emu, { DurationSeconds: 900 });
    expect(out.SourceIdentity).toBe(ALICE);
    expect(out.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${MAIN}:assumed-role/ecs-operate-team-a/op-restart-42`);
    const expiresIn = out.Credentials!.Expiration!.getTime() - Date.now();
    expect(expiresIn).toBeLessThanOrEqual(900_000);
    expect(expiresIn).toBeGreaterThan(800_000);
    const c = out.Credentials!;
    const who = await sts(emu, { credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(out.AssumedRoleUser!.Arn);
  });

  it('refuses a caller the trust policy does not name, a missing source identity and another team tag', async () => {
    const denied = (action: string, who = BACKSTAGE, role = ROLE_A) => `User: ${who} is not authorized to perform: ${action} on resource: ${role}`;
    const outsider = await rejection(assume(emu, {}, OTHER_KEYS));
    expect([outsider.name, outsider.message, outsider.$metadata?.httpStatusCode]).toEqual(['AccessDenied', denied('sts:AssumeRole', 'arn:aws:iam::333333333333:user/outsider'), 403]);
    const noSource = await rejection(assume(emu, { SourceIdentity: undefined }));
    expect([noSource.name, noSource.message]).toEqual(['AccessDenied', denied('sts:AssumeRole')]);
    const otherTeam = await rejection(assume(emu, { Tags: [{ Key: 'team', Value: 'team-b' }] }));
    expect([otherTeam.name, otherTeam.message]).toEqual(['AccessDenied', denied('sts:AssumeRole')]);
    const extraTag = await rejection(assume(emu, { Tags: [{ Key: 'team', Value: 'team-a' }, { Key: 'admin', Value: 'yes' }] }));
    expect(extraTag.name).toBe('AccessDenied');
    // Team B's trust grants no sts:TagSession: tags are refused by that action's name.
    await expect(assume(emu, { RoleArn: ROLE_B, Tags: undefined })).resolves.toBeDefined();
    const untaggable = await rejection(assume(emu, { RoleArn: ROLE_B, Tags: [{ Key: 'team', Value: 'team-b' }] }));
    expect(untaggable.message).toBe(denied('sts:TagSession', BACKSTAGE, ROLE_B));
    // A role without a trust policy keeps trustedAccounts: no conditions on tags or source identity.
    await expect(assume(emu, { RoleArn: `arn:aws:iam::${MAIN}:role/backstage-ecs-read`, SourceIdentity: undefined })).resolves.toBeDefined();
  });

  it('validates source identity, tags and duration with STS wording', async () => {
    const invalid = async (input: Partial<AssumeRoleCommandInput>) => {
      const e = await rejection(assume(emu, input));
      expect(e.$metadata?.httpStatusCode).toBe(400);
      return [e.name, e.message];
    };
    expect(await invalid({ DurationSeconds: 899 })).toEqual([
      'ValidationError',
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ]);
    expect((await invalid({ DurationSeconds: 43201 }))[1]).toContain('Member must have value less than or equal to 43200');
    expect(await invalid({ SourceIdentity: 'aws:alice' })).toEqual([
      'ValidationError',
      "1 validation error detected: Value 'aws:alice' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    ]);
    expect((await invalid({ SourceIdentity: 'a' }))[1]).toContain("at 'sourceIdentity' failed to satisfy constraint: Member must have length greater than or equal to 2");
    expect((await invalid({ SourceIdentity: 'user:default/alice', DurationSeconds: 10 }))[1]).toMatch(/^2 validation errors detected: .*durationSeconds.*; .*sourceIdentity/);
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await invalid({ Tags: many }))[1]).toContain("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
    expect((await invalid({ Tags: [{ Key: 'x'.repeat(129), Value: 'v' }] }))[1]).toContain("at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128");
    expect((await invalid({ Tags: [{ Key: 'team', Value: 'a' }, { Key: 'bad#key', Value: 'v' }] }))[1]).toContain("at 'tags.2.member.key'");
    expect((await invalid({ Tags: [{ Key: 'team', Value: 'x'.repeat(257) }] }))[1]).toContain("at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256");
    expect(await invalid({ Tags: [{ Key: 'team', Value: 'team-a' }, { Key: 'TEAM', Value: 'team-a' }] })).toEqual([
      'InvalidParameterValue',
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    ]);
  });

  it("lets team A's session read and update its own services and refuses team B's", async () => {
    const keys = await sessionKeys(emu);
    const c = ecs(emu, { credentials: keys });
    const session = `arn:aws:sts::${MAIN}:assumed-role/ecs-operate-team-a/op-restart-42`;
    expect((await c.send(new ListClustersCommand({}))).clusterArns).toContain(SHOP);
    expect((await c.send(new ListServicesCommand({ cluster: 'shop' }))).serviceArns).toContain(SEARCH);
    expect((await c.send(new DescribeServicesCommand({ cluster: SHOP, services: ['cart'] }))).services![0]!.serviceArn).toBe(CART);
    const restarted = await c.send(new UpdateServiceCommand({ cluster: SHOP, service: CART, forceNewDeployment: true }));
    expect(restarted.service!.deployments).toHaveLength(2);

    const noUpdate = await rejection(c.send(new UpdateServiceCommand({ cluster: SHOP, service: SEARCH, desiredCount: 0 })));
    expect(noUpdate.name).toBe('AccessDeniedException');
    expect(noUpdate.$metadata?.httpStatusCode).toBe(400);
    expect(noUpdate.message).toBe(`User: ${session} is not authorized to perform: ecs:UpdateService on resource: ${SEARCH} because no identity-based policy allows the ecs:UpdateService action`);
    // By name as well, and one foreign service in a batch refuses the batch.
    const byName = await rejection(c.send(new DescribeServicesCommand({ cluster: 'shop', services: ['cart', 'search'] })));
    expect(byName.message).toBe(`User: ${session} is not authorized to perform: ecs:DescribeServices on resource: ${SEARCH} because no identity-based policy allows the ecs:DescribeServices action`);
    const otherCluster = await rejection(c.send(new ListServicesCommand({ cluster: 'other' })));
    expect(otherCluster.message).toBe(`User: ${session} is not authorized to perform: ecs:ListServices on resource: * because no identity-based policy allows the ecs:ListServices action`);
    // Refused calls change nothing.
    const search = await ecs(emu).send(new DescribeServicesCommand({ cluster: SHOP, services: [SEARCH] }));
    expect(search.services![0]!.desiredCount).toBe(1);
  });

  it("lets team B's own session do what team A's may not, and an explicit deny win", async () => {
    const b = await sts(emu).send(new AssumeRoleCommand({ RoleArn: ROLE_B, RoleSessionName: 'op-scale-7', SourceIdentity: 'user.default.bob', Tags: undefined }));
    const c = ecs(emu, { credentials: { accessKeyId: b.Credentials!.AccessKeyId!, secretAccessKey: b.Credentials!.SecretAccessKey!, sessionToken: b.Credentials!.SessionToken! } });
    const scaled = await c.send(new UpdateServiceCommand({ cluster: SHOP, service: 'search', desiredCount: 2 }));
    expect(scaled.service!.desiredCount).toBe(2);
    expect((await rejection(c.send(new UpdateServiceCommand({ cluster: SHOP, service: CART, desiredCount: 0 })))).name).toBe('AccessDeniedException');

    const deny: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'ecs:UpdateService', Resource: '*', Condition: { StringNotLike: { 'aws:SourceIdentity': 'user.default.a*' } } }],
    };
    emu.putRole(MAIN, { name: 'ecs-operate-team-b', trustPolicy: untaggedTrust(), policies: [...fleet().accounts[0]!.roles![2]!.policies!, deny] });
    const denied = await rejection(c.send(new UpdateServiceCommand({ cluster: SHOP, service: 'search', desiredCount: 3 })));
    expect(denied.message).toBe(`User: arn:aws:sts::${MAIN}:assumed-role/ecs-operate-team-b/op-scale-7 is not authorized to perform: ecs:UpdateService on resource: ${SEARCH} with an explicit deny in an identity-based policy`);
    emu.putRole(MAIN, fleet().accounts[0]!.roles![2]!);
  });

  it('records every call with role, source identity, tags and the request id the SDK read, and no secret', async () => {
    const assumed = await assume(emu, { DurationSeconds: 1800, TransitiveTagKeys: ['team'] });
    const keys = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    const c = ecs(emu, { credentials: keys });
    const updated = await c.send(new UpdateServiceCommand({ cluster: SHOP, service: CART, desiredCount: 3 }));
    const refused = await rejection(c.send(new UpdateServiceCommand({ cluster: SHOP, service: SEARCH, desiredCount: 0 })));

    const [assumeRecord] = emu.callLog({ eventName: 'AssumeRole' });
    expect(assumeRecord).toMatchObject({
      eventSource: 'sts.amazonaws.com',
      requestID: assumed.$metadata.requestId,
      userIdentity: { type: 'IAMUser', arn: BACKSTAGE, accountId: MAIN, accessKeyId: MAIN_KEYS.accessKeyId },
      requestParameters: {
        roleArn: ROLE_A,
        roleSessionName: 'op-restart-42',
        sourceIdentity: ALICE,
        durationSeconds: 1800,
        tags: [{ key: 'team', value: 'team-a' }, { key: 'operation', value: 'restart' }],
        transitiveTagKeys: ['team'],
      },
      responseElements: { credentials: { accessKeyId: keys.accessKeyId }, sourceIdentity: ALICE },
    });

    const writes = emu.callLog({ eventName: 'UpdateService', eventSource: 'ecs.amazonaws.com' });
    expect(writes).toHaveLength(2);
    const [ok, denied] = writes as [CallRecord, CallRecord];
    expect(updated.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.requestID).toBe(updated.$metadata.requestId);
    expect(ok).toMatchObject({
      awsRegion: 'eu-west-1',
      recipientAccountId: MAIN,
      requestParameters: { cluster: SHOP, service: CART, desiredCount: 3 },
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${MAIN}:assumed-role/ecs-operate-team-a/op-restart-42`,
        accessKeyId: keys.accessKeyId,
        sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE_A, userName: 'ecs-operate-team-a' }, sourceIdentity: ALICE, principalTags: { team: 'team-a', operation: 'restart' } },
      },
    });
    expect(ok.errorCode).toBeUndefined();
    expect(denied.requestID).toBe((refused.$metadata as { requestId?: string }).requestId);
    expect([denied.errorCode, denied.errorMessage]).toEqual(['AccessDeniedException', refused.message]);

    const http = (await (await fetch(`${emu.url}/__emulator/cloudtrail?eventName=UpdateService`)).json()) as { Records: CallRecord[] };
    expect(http.Records.map(r => r.requestID)).toEqual(writes.map(r => r.requestID));

    const log = JSON.stringify(emu.callLog());
    const secrets = [MAIN_KEYS.secretAccessKey, keys.secretAccessKey, keys.sessionToken, ...emu.issuedSecrets().filter(s => !s.startsWith('ASIA'))];
    for (const secret of secrets) expect(log).not.toContain(secret);
  });

  it('takes roles over the admin route and refuses malformed ones', async () => {
    const put = (body: unknown) => fetch(`${emu.url}/__emulator/roles`, { method: 'PUT', body: JSON.stringify(body) }).then(async r => ({ status: r.status, json: (await r.json()) as { message?: string } }));
    const role = { name: 'ecs-operate-team-c', trustPolicy: trustFor('team-c'), policies: [operatePolicy()] };
    expect((await put({ accountId: MAIN, role })).status).toBe(200);
    const out = await assume(emu, { RoleArn: `arn:aws:iam::${MAIN}:role/ecs-operate-team-c`, Tags: [{ Key: 'team', Value: 'team-c' }] });
    expect(out.SourceIdentity).toBe(ALICE);
    const bad = await put({ accountId: MAIN, role: { name: 'x', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 'sts:AssumeRole' }] } } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('role.trustPolicy.Statement[0].Effect: must be Allow or Deny');
    expect((await put({ accountId: '999999999999', role })).status).toBe(400);
  });
});
