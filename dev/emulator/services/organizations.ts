/**
 * AWS Organizations (awsJson1_1, X-Amz-Target AWSOrganizationsV20161128.<Op>).
 * ListAccounts works only for callers in the management account, as in AWS
 * (unless delegated administration, which the emulator does not model).
 */
import type { Caller } from './identity';
import { hashId } from './identity';
import { InputReader, type Input } from './input';
import { decodeToken, encodeToken } from './paging';
import type { AccountRecord, FleetState } from './state';
import { AwsError } from './wire';

export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128';

export interface OrgContext {
  readonly state: FleetState;
  readonly caller: Caller;
}

function orgId(mgmt: string): string {
  return `o-${hashId(`org-${mgmt}`).slice(0, 10).toLowerCase()}`;
}

function notInUse(): AwsError {
  return new AwsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.', 400);
}

function accountJson(a: AccountRecord, mgmt: string): unknown {
  return {
    Id: a.id,
    Arn: `arn:aws:organizations::${mgmt}:account/${orgId(mgmt)}/${a.id}`,
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status,
    JoinedMethod: a.id === mgmt ? 'INVITED' : 'CREATED',
    JoinedTimestamp: a.joinedAt,
  };
}

export function handleOrganizations(ctx: OrgContext, action: string, input: Input): unknown {
  const org = ctx.state.organization;
  const r = new InputReader(input, 'InvalidInputException');
  switch (action) {
    case 'ListAccounts': {
      if (!org) throw notInUse();
      const mgmt = org.managementAccountId;
      if (ctx.caller.accountId !== mgmt) {
        if (!ctx.state.accounts.has(ctx.caller.accountId)) throw notInUse();
        throw new AwsError('AccessDeniedException', "You don't have permissions to access this resource.", 400);
      }
      const max = r.int('MaxResults', 1, 20, 20);
      const token = r.string('NextToken');
      const all = ctx.state.accountList;
      let start = 0;
      if (token) {
        const last = decodeToken(token, 'accounts', mgmt);
        if (last === undefined) throw new AwsError('InvalidInputException', 'You specified an invalid value for nextToken.', 400, { Reason: 'INVALID_PAGINATION_TOKEN' });
        start = all.findIndex((a) => a.id > last);
        if (start < 0) start = all.length;
      }
      const page = all.slice(start, start + max);
      const more = start + max < all.length;
      return {
        Accounts: page.map((a) => accountJson(a, mgmt)),
        NextToken: more ? encodeToken('accounts', mgmt, (page[page.length - 1] as AccountRecord).id) : undefined,
      };
    }
    case 'DescribeOrganization': {
      if (!org || !ctx.state.accounts.has(ctx.caller.accountId)) throw notInUse();
      const mgmt = org.managementAccountId;
      const id = orgId(mgmt);
      return {
        Organization: {
          Id: id,
          Arn: `arn:aws:organizations::${mgmt}:organization/${id}`,
          FeatureSet: 'ALL',
          MasterAccountArn: `arn:aws:organizations::${mgmt}:account/${id}/${mgmt}`,
          MasterAccountId: mgmt,
          MasterAccountEmail: ctx.state.accounts.get(mgmt)?.email,
          AvailablePolicyTypes: [],
        },
      };
    }
    default:
      throw new AwsError('UnknownOperationException', `Operation ${action} is not supported by the emulator.`, 400);
  }
}
