import path from 'node:path';
import { DEFAULT_OPERATE_ROLE_ARN, OPERATE_SESSION_TAG_KEYS, teamOperateRoleArn, operateRoleProblem } from '../../src/access/operateRole';
import { backstagePrincipalProblem, operateRoleTrust } from '../../src/access/operateRoleTrust';
import { asList, type PolicyDocument } from '../../src/access/policyDocument';
import { wildcardMatch } from '../../src/access/policyMatch';
import { expectGolden } from '../support/golden';
import { trustPolicyProblems } from './authorizationReference';
import { TEAM_A } from './fixture';

const BACKSTAGE = 'arn:aws:iam::999999999999:role/backstage';

/** What STS asks of a trust policy for one AssumeRole call. */
interface AssumeRequest {
  principal: string;
  sourceIdentity?: string;
  tags: Record<string, string>;
}

/**
 * The trust policy as STS evaluates it, for the operators it uses: AssumeRole
 * must be allowed, plus SetSourceIdentity when a source identity is given
 * and TagSession when tags are.
 */
function allows(document: PolicyDocument, request: AssumeRequest): boolean {
  const context: Record<string, string[] | undefined> = {
    'sts:sourceidentity': request.sourceIdentity === undefined ? undefined : [request.sourceIdentity],
    'aws:tagkeys': Object.keys(request.tags).length > 0 ? Object.keys(request.tags) : undefined,
    ...Object.fromEntries(Object.entries(request.tags).map(([k, v]) => [`aws:requesttag/${k.toLowerCase()}`, [v]])),
  };
  const holds = (operator: string, key: string, expected: string | string[]): boolean => {
    const values = context[key.toLowerCase()];
    const wanted = asList(expected);
    switch (operator) {
      case 'Null':
        return (values === undefined) === (wanted[0] === 'true');
      case 'StringEquals':
        return values !== undefined && values.some(v => wanted.includes(v));
      case 'StringLike':
        return values !== undefined && values.some(v => wanted.some(w => wildcardMatch(w, v)));
      case 'ForAllValues:StringEquals':
        return (values ?? []).every(v => wanted.includes(v));
      default:
        return false;
    }
  };
  const allowed = (action: string) =>
    document.Statement.some(
      s =>
        s.Effect === 'Allow' &&
        asList(s.Action).includes(action) &&
        asList(s.Principal?.AWS).includes(request.principal) &&
        Object.entries(s.Condition ?? {}).every(([operator, keys]) => Object.entries(keys).every(([key, expected]) => holds(operator, key, expected))),
    );
  return (
    allowed('sts:AssumeRole') &&
    (request.sourceIdentity === undefined || allowed('sts:SetSourceIdentity')) &&
    (Object.keys(request.tags).length === 0 || allowed('sts:TagSession'))
  );
}

const EXECUTOR: AssumeRequest = {
  principal: BACKSTAGE,
  sourceIdentity: 'alice@default',
  tags: { 'backstage-team': 'team-a', 'backstage-user': 'user:default/alice', 'backstage-operation': 'op-42' },
};

describe('the trust policy of a team’s operate role', () => {
  const trust = operateRoleTrust(TEAM_A, BACKSTAGE);

  it('is written the same, byte for byte (golden)', () => {
    expectGolden(path.join(__dirname, 'golden', 'trust', 'team-a.operate-role.json'), `${JSON.stringify(trust, null, 2)}\n`);
  });

  it('lets Backstage assume it as the executor does: a user as source identity and the three tags of the team', () => {
    expect(allows(trust, EXECUTOR)).toBe(true);
    expect(allows(trust, { ...EXECUTOR, sourceIdentity: 'bob@platform' })).toBe(true);
  });

  it.each<[string, AssumeRequest]>([
    ['another principal', { ...EXECUTOR, principal: 'arn:aws:iam::999999999999:role/someone-else' }],
    ['no source identity', { ...EXECUTOR, sourceIdentity: undefined }],
    ['a source identity that names no user', { ...EXECUTOR, sourceIdentity: 'backstage' }],
    ['another team’s tag', { ...EXECUTOR, tags: { ...EXECUTOR.tags, 'backstage-team': 'team-b' } }],
    ['no team tag', { ...EXECUTOR, tags: { 'backstage-user': 'user:default/alice', 'backstage-operation': 'op-42' } }],
    ['no user tag', { ...EXECUTOR, tags: { 'backstage-team': 'team-a', 'backstage-operation': 'op-42' } }],
    ['a tag key beyond the three', { ...EXECUTOR, tags: { ...EXECUTOR.tags, 'cost-center': 'x' } }],
    ['no tags at all', { ...EXECUTOR, tags: {} }],
  ])('refuses %s', (_, request) => {
    expect(allows(trust, request)).toBe(false);
  });

  it('names only the team’s entity name in its tag condition, for a team of another namespace too', () => {
    const other = operateRoleTrust('group:platform/team-a', BACKSTAGE);
    expect(JSON.stringify(other)).not.toContain('platform');
    expect(allows(other, EXECUTOR)).toBe(true);
  });

  it('allows the tag keys the executor uses and no other', () => {
    const keys = trust.Statement.flatMap(s => asList(s.Condition?.['ForAllValues:StringEquals']?.['aws:TagKeys']));
    expect(new Set(keys)).toEqual(new Set(OPERATE_SESSION_TAG_KEYS));
  });
});

describe('the trust policy, checked against the Service Authorization Reference', () => {
  const trust = (): PolicyDocument => JSON.parse(JSON.stringify(operateRoleTrust(TEAM_A, BACKSTAGE)));

  it('has actions that exist and condition keys each action takes', async () => {
    expect(await trustPolicyProblems(trust())).toEqual([]);
  });

  it.each<[string, (document: PolicyDocument) => void, string[]]>([
    ['a misspelt action', d => (d.Statement[0].Action = 'sts:AssumeRoles'), ['BackstageAssumesForTeam: sts:AssumeRoles is not an action in the Service Authorization Reference']],
    [
      'the source identity asked of TagSession, which has no such key',
      d => (d.Statement[2].Condition!.StringLike = { 'sts:SourceIdentity': '*@*' }),
      ['BackstageTagsTheSession: sts:TagSession has no condition key sts:SourceIdentity, nor is it a global one'],
    ],
    ['a resource', d => (d.Statement[1].Resource = '*'), ['BackstageNamesTheUser: a trust policy names no resource']],
    ['no principal', d => delete d.Statement[2].Principal, ['BackstageTagsTheSession: names no Principal']],
  ])('fails with %s', async (_, breakIt, expected) => {
    const document = trust();
    breakIt(document);
    expect(await trustPolicyProblems(document)).toEqual(expected);
  });
});

describe('the principal the operate roles trust', () => {
  it.each([BACKSTAGE, 'arn:aws:iam::999999999999:role/platform/backstage', 'arn:aws-cn:iam::999999999999:user/backstage'])('accepts %s', arn => {
    expect(backstagePrincipalProblem(arn)).toBeUndefined();
  });

  it.each([
    ['arn:aws:sts::999999999999:assumed-role/backstage/i-0abc', /a session of a role; trust the role itself, such as arn:aws:iam::999999999999:role\/backstage/],
    ['999999999999', /a whole account/],
    ['arn:aws:iam::999999999999:root', /a whole account/],
    ['arn:aws:iam::999999999999:role/*', /not the ARN of an IAM role or user/],
    ['backstage', /not the ARN of an IAM role or user/],
  ])('refuses %s, saying why', (arn, message) => {
    expect(backstagePrincipalProblem(arn)).toMatch(message);
  });
});

describe('the operate role of a team', () => {
  it('fills the team’s entity name and the account into the template', () => {
    expect(teamOperateRoleArn(DEFAULT_OPERATE_ROLE_ARN, 'group:platform/team-a', '111111111111')).toBe('arn:aws:iam::111111111111:role/ecs-operate-team-a');
  });

  it.each([
    ['arn:aws:iam::{accountId}:role/ecs-operate', /names no \{team\}/],
    ['arn:aws:iam::{accountId}:role/ecs-{namespace}-{team}', /unknown placeholder \{namespace\}/],
    ['ecs-operate-{team}', /not an IAM role ARN/],
  ])('refuses the template %s', (template, message) => {
    expect(operateRoleProblem(template)).toMatch(message);
  });

  it('accepts the documented template', () => {
    expect(operateRoleProblem(DEFAULT_OPERATE_ROLE_ARN)).toBeUndefined();
  });
});
