import { ListAccountsCommand, DescribeOrganizationCommand, paginateListAccounts } from '@aws-sdk/client-organizations';
import { GetResourcesCommand, paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import { startEmulator, type Emulator } from '../../dev/emulator/emulator';
import type { Fleet } from '../../dev/emulator/fleet';
import { MAIN, MAIN_KEYS, OTHER_KEYS, destroyClients, organizations, rejection, smallFleet, tagging } from './helpers';

describe('Resource Groups Tagging API against the real client', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ fleet: smallFleet(), faults: { rateLimit: false } });
  });
  afterEach(() => destroyClients());
  afterAll(() => emu.close());

  it('returns only tagged, non-deleted resources with capitalised Key/Value', async () => {
    const out = await tagging(emu).send(new GetResourcesCommand({ ResourceTypeFilters: ['ecs:service'] }));
    expect(out.ResourceTagMappingList).toEqual([
      { ResourceARN: `arn:aws:ecs:eu-west-1:${MAIN}:service/legacy-billing`, Tags: [{ Key: 'owner', Value: 'team-payments' }] },
      {
        ResourceARN: `arn:aws:ecs:eu-west-1:${MAIN}:service/payments/checkout-api`,
        Tags: [
          { Key: 'Owner', Value: 'team-payments' },
          { Key: 'Component', Value: 'checkout' },
        ],
      },
    ]);
    expect(out.PaginationToken).toBe('');
  });

  it('filters by resource type and tags (keys are case-sensitive)', async () => {
    const t = tagging(emu);
    const clusters = await t.send(new GetResourcesCommand({ ResourceTypeFilters: ['ecs:cluster'] }));
    expect(clusters.ResourceTagMappingList!.map((m) => m.ResourceARN)).toEqual([`arn:aws:ecs:eu-west-1:${MAIN}:cluster/payments`]);
    const both = await t.send(new GetResourcesCommand({}));
    expect(both.ResourceTagMappingList).toHaveLength(3);
    const owner = await t.send(new GetResourcesCommand({ TagFilters: [{ Key: 'Owner' }] }));
    expect(owner.ResourceTagMappingList!.map((m) => m.ResourceARN)).toEqual([`arn:aws:ecs:eu-west-1:${MAIN}:service/payments/checkout-api`]);
    const byValue = await t.send(new GetResourcesCommand({ TagFilters: [{ Key: 'owner', Values: ['team-search', 'team-payments'] }] }));
    expect(byValue.ResourceTagMappingList).toHaveLength(1);
    const none = await t.send(new GetResourcesCommand({ TagFilters: [{ Key: 'owner', Values: ['team-nobody'] }] }));
    expect(none.ResourceTagMappingList).toEqual([]);
  });

  it('pages with ResourcesPerPage and PaginationToken', async () => {
    const fleet: Fleet = {
      principals: [{ ...MAIN_KEYS, accountId: MAIN }],
      accounts: [
        {
          id: MAIN,
          regions: {
            'eu-west-1': {
              clusters: [
                {
                  name: 'a',
                  tags: { env: 'prod' },
                  services: Array.from({ length: 230 }, (_, i) => ({ name: `s${i}`, ...(i % 3 === 0 ? {} : { tags: { Owner: `team-${i % 5}` } }) })),
                },
              ],
            },
          },
        },
      ],
    };
    const big = await startEmulator({ fleet, faults: { rateLimit: false } });
    try {
      const t = tagging(big);
      const over = await rejection(t.send(new GetResourcesCommand({ ResourcesPerPage: 101 })));
      expect(over.name).toBe('InvalidParameterException');
      const bad = await rejection(t.send(new GetResourcesCommand({ PaginationToken: 'nope' })));
      expect(bad.name).toBe('InvalidParameterException');

      const arns: string[] = [];
      let pages = 0;
      for await (const page of paginateGetResources({ client: t }, { ResourcesPerPage: 50, ResourceTypeFilters: ['ecs:service'] })) {
        pages++;
        expect(page.ResourceTagMappingList!.length).toBeLessThanOrEqual(50);
        arns.push(...page.ResourceTagMappingList!.map((m) => m.ResourceARN!));
      }
      const tagged = 230 - Math.ceil(230 / 3);
      expect(arns).toHaveLength(tagged);
      expect(new Set(arns).size).toBe(tagged);
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(tagged / 50));
    } finally {
      await big.close();
    }
  });
});

describe('Organizations against the real client', () => {
  afterEach(() => destroyClients());

  it('ListAccounts pages (MaxResults <= 20) for the management account', async () => {
    const fleet: Fleet = {
      organization: { managementAccountId: '100000000000' },
      principals: [{ ...MAIN_KEYS, accountId: '100000000000' }, { ...OTHER_KEYS, accountId: '100000000001' }],
      accounts: Array.from({ length: 45 }, (_, i) => ({
        id: String(100000000000 + i),
        name: `acct-${i}`,
        ...(i === 7 ? { status: 'SUSPENDED' as const } : {}),
      })).concat([{ id: '000000000042', name: 'leading-zeros' }]),
    };
    const emu = await startEmulator({ fleet });
    try {
      const o = organizations(emu);
      const first = await o.send(new ListAccountsCommand({}));
      expect(first.Accounts).toHaveLength(20);
      expect(first.NextToken).toBeDefined();
      // Sorted by id: the leading-zero account comes first and keeps its zeros.
      expect(first.Accounts![0]).toMatchObject({
        Id: '000000000042',
        Name: 'leading-zeros',
        Status: 'ACTIVE',
        Email: 'aws+000000000042@example.com',
      });
      expect(first.Accounts![0]!.Arn).toMatch(/^arn:aws:organizations::100000000000:account\/o-[a-z0-9]{10}\/000000000042$/);
      expect(first.Accounts![0]!.JoinedTimestamp).toBeInstanceOf(Date);

      const all = [];
      for await (const page of paginateListAccounts({ client: o, pageSize: 20 }, {})) all.push(...page.Accounts!);
      expect(all).toHaveLength(46);
      expect(all.find((a) => a.Id === '100000000007')!.Status).toBe('SUSPENDED');
      expect((await rejection(o.send(new ListAccountsCommand({ MaxResults: 21 })))).name).toBe('InvalidInputException');

      const member = organizations(emu, { credentials: { ...OTHER_KEYS } });
      const denied = await rejection(member.send(new ListAccountsCommand({})));
      expect(denied.name).toBe('AccessDeniedException');
      const org = await member.send(new DescribeOrganizationCommand({}));
      expect(org.Organization!.MasterAccountId).toBe('100000000000');
    } finally {
      await emu.close();
    }
  });

  it('without an organization: AWSOrganizationsNotInUseException', async () => {
    const fleet = smallFleet();
    delete fleet.organization;
    const emu = await startEmulator({ fleet });
    try {
      const err = await rejection(organizations(emu).send(new ListAccountsCommand({})));
      expect(err.name).toBe('AWSOrganizationsNotInUseException');
      expect(err.$metadata?.httpStatusCode).toBe(400);
    } finally {
      await emu.close();
    }
  });
});
