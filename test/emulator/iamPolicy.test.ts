import { arnMatches, conditionMatches, evaluate, globMatches, principalsOf, type PolicyDocument } from '../../dev/emulator/services/iamPolicy';

const CART = 'arn:aws:ecs:eu-west-1:111111111111:service/shop/cart';
const SEARCH = 'arn:aws:ecs:eu-west-1:111111111111:service/shop/search';
const SHOP = 'arn:aws:ecs:eu-west-1:111111111111:cluster/shop';

function doc(...Statement: PolicyDocument['Statement']): PolicyDocument {
  return { Version: '2012-10-17', Statement };
}

describe('IAM wildcards', () => {
  it('* spans any run, ? exactly one character, the rest is literal', () => {
    expect(globMatches('arn:aws:ecs:*:111111111111:service/shop/*', CART)).toBe(true);
    expect(globMatches('arn:aws:ecs:eu-west-?:111111111111:service/shop/cart', CART)).toBe(true);
    expect(globMatches('arn:aws:ecs:eu-west-??:111111111111:service/shop/cart', CART)).toBe(false);
    expect(globMatches('arn:aws:ecs:eu.west-1:*', CART)).toBe(false);
    expect(globMatches('ecs:describe*', 'ecs:DescribeServices', true)).toBe(true);
    expect(globMatches('ecs:describe*', 'ecs:DescribeServices')).toBe(false);
  });

  it('ArnLike keeps a wildcard within its colon-separated part', () => {
    expect(arnMatches('arn:aws:ecs:*:111111111111:service/shop/*', CART)).toBe(true);
    expect(arnMatches('arn:aws:ecs:*', CART)).toBe(false);
    expect(arnMatches('arn:aws:ecs:*:*:*', CART)).toBe(true);
    expect(arnMatches('not-an-arn', CART)).toBe(false);
  });
});

describe('condition operators', () => {
  const ctx = { 'aws:PrincipalTag/team': 'team-a', 'aws:TagKeys': ['team', 'ticket'], 'ecs:cluster': SHOP };

  it('match key names case-insensitively and values per operator', () => {
    expect(conditionMatches('StringEquals', 'AWS:principaltag/TEAM', 'team-a', ctx)).toBe(true);
    expect(conditionMatches('StringEquals', 'aws:PrincipalTag/team', 'Team-A', ctx)).toBe(false);
    expect(conditionMatches('StringEqualsIgnoreCase', 'aws:PrincipalTag/team', 'Team-A', ctx)).toBe(true);
    expect(conditionMatches('StringLike', 'aws:PrincipalTag/team', 'team-*', ctx)).toBe(true);
    expect(conditionMatches('StringNotLike', 'aws:PrincipalTag/team', ['team-b', 'x*'], ctx)).toBe(true);
    expect(conditionMatches('StringNotEquals', 'aws:PrincipalTag/team', ['team-a'], ctx)).toBe(false);
    expect(conditionMatches('ArnEquals', 'ecs:cluster', [SHOP, 'arn:aws:ecs:us-east-1:111111111111:cluster/x'], ctx)).toBe(true);
    expect(conditionMatches('ArnLike', 'ecs:cluster', 'arn:aws:ecs:*:111111111111:cluster/sh*', ctx)).toBe(true);
  });

  it('treat a missing key as IAM does', () => {
    expect(conditionMatches('StringEquals', 'sts:SourceIdentity', 'alice', ctx)).toBe(false);
    expect(conditionMatches('StringNotEquals', 'sts:SourceIdentity', 'alice', ctx)).toBe(true);
    expect(conditionMatches('StringEqualsIfExists', 'sts:SourceIdentity', 'alice', ctx)).toBe(true);
    expect(conditionMatches('Null', 'sts:SourceIdentity', 'true', ctx)).toBe(true);
    expect(conditionMatches('Null', 'sts:SourceIdentity', 'false', ctx)).toBe(false);
    expect(conditionMatches('Null', 'aws:PrincipalTag/team', 'false', ctx)).toBe(true);
    expect(conditionMatches('ForAllValues:StringEquals', 'aws:RequestTag/none', 'x', ctx)).toBe(true);
    expect(conditionMatches('ForAnyValue:StringEquals', 'aws:RequestTag/none', 'x', ctx)).toBe(false);
  });

  it('compare sets with ForAllValues and ForAnyValue', () => {
    expect(conditionMatches('ForAllValues:StringEquals', 'aws:TagKeys', ['team', 'ticket', 'reason'], ctx)).toBe(true);
    expect(conditionMatches('ForAllValues:StringEquals', 'aws:TagKeys', ['team'], ctx)).toBe(false);
    expect(conditionMatches('ForAnyValue:StringEquals', 'aws:TagKeys', ['ticket'], ctx)).toBe(true);
    expect(conditionMatches('ForAnyValue:StringLike', 'aws:TagKeys', ['x*'], ctx)).toBe(false);
  });

  it('Bool compares true and false, and an unknown operator never matches', () => {
    expect(conditionMatches('Bool', 'aws:MultiFactorAuthPresent', 'true', { 'aws:MultiFactorAuthPresent': 'true' })).toBe(true);
    expect(conditionMatches('Bool', 'aws:MultiFactorAuthPresent', true, { 'aws:MultiFactorAuthPresent': 'false' })).toBe(false);
    expect(conditionMatches('StringSortOf', 'aws:PrincipalTag/team', 'team-a', ctx)).toBe(false);
    expect(conditionMatches('NumericEquals', 'aws:PrincipalTag/team', 'team-a', ctx)).toBe(false);
  });

  it('resolve policy variables from the request', () => {
    expect(conditionMatches('StringEquals', 'aws:PrincipalTag/team', '${aws:PrincipalTag/team}', ctx)).toBe(true);
    expect(conditionMatches('StringEquals', 'aws:PrincipalTag/team', '${aws:PrincipalTag/nope}', ctx)).toBe(false);
  });
});

describe('evaluate', () => {
  const operate = doc(
    { Sid: 'EcsActionsWithoutResource', Effect: 'Allow', Action: ['ecs:ListClusters'], Resource: ['*'] },
    { Sid: 'EcsListInTeamClusters', Effect: 'Allow', Action: ['ecs:ListServices'], Resource: ['*'], Condition: { ArnEquals: { 'ecs:cluster': [SHOP] } } },
    { Sid: 'EcsTeamServices', Effect: 'Allow', Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Resource: [CART] },
  );

  it('allows what a statement grants and nothing else', () => {
    expect(evaluate([operate], { action: 'ecs:UpdateService', resource: CART, context: {} })).toBe('allow');
    expect(evaluate([operate], { action: 'ecs:updateservice', resource: CART, context: {} })).toBe('allow');
    expect(evaluate([operate], { action: 'ecs:UpdateService', resource: SEARCH, context: {} })).toBe('implicitDeny');
    expect(evaluate([operate], { action: 'ecs:DeleteService', resource: CART, context: {} })).toBe('implicitDeny');
    expect(evaluate([operate], { action: 'ecs:ListServices', resource: '*', context: { 'ecs:cluster': SHOP } })).toBe('allow');
    expect(evaluate([operate], { action: 'ecs:ListServices', resource: '*', context: { 'ecs:cluster': `${SHOP}-2` } })).toBe('implicitDeny');
    expect(evaluate([], { action: 'ecs:ListClusters', resource: '*', context: {} })).toBe('implicitDeny');
  });

  it('lets an explicit Deny win over any Allow', () => {
    const deny = doc({ Effect: 'Deny', Action: 'ecs:Update*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'team-a' } } });
    expect(evaluate([operate, deny], { action: 'ecs:UpdateService', resource: CART, context: { 'aws:PrincipalTag/team': 'team-b' } })).toBe('explicitDeny');
    expect(evaluate([operate, deny], { action: 'ecs:UpdateService', resource: CART, context: { 'aws:PrincipalTag/team': 'team-a' } })).toBe('allow');
  });

  it('reads NotAction and NotResource as everything but', () => {
    const notAction = doc({ Effect: 'Allow', NotAction: 'ecs:Delete*', Resource: '*' });
    expect(evaluate([notAction], { action: 'ecs:UpdateService', resource: CART, context: {} })).toBe('allow');
    expect(evaluate([notAction], { action: 'ecs:DeleteService', resource: CART, context: {} })).toBe('implicitDeny');
    const notResource = doc({ Effect: 'Allow', Action: 'ecs:*', NotResource: 'arn:aws:ecs:*:*:service/shop/search' });
    expect(evaluate([notResource], { action: 'ecs:UpdateService', resource: CART, context: {} })).toBe('allow');
    expect(evaluate([notResource], { action: 'ecs:UpdateService', resource: SEARCH, context: {} })).toBe('implicitDeny');
  });

  it('matches trust-policy principals by ARN, role, account root or account id', () => {
    const user = { arn: 'arn:aws:iam::111111111111:user/backstage', accountId: '111111111111' };
    const trust = (aws: string) => doc({ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' });
    const ask = (d: PolicyDocument, caller: { arn: string; accountId: string; roleArn?: string }) =>
      evaluate([d], { action: 'sts:AssumeRole', resource: 'arn:aws:iam::222222222222:role/ecs-operate-team-a', context: {}, principals: principalsOf(caller) });
    expect(ask(trust(user.arn), user)).toBe('allow');
    expect(ask(trust('arn:aws:iam::111111111111:root'), user)).toBe('allow');
    expect(ask(trust('111111111111'), user)).toBe('allow');
    expect(ask(trust('arn:aws:iam::111111111111:user/other'), user)).toBe('implicitDeny');
    const session = { arn: 'arn:aws:sts::111111111111:assumed-role/backstage/s1', accountId: '111111111111', roleArn: 'arn:aws:iam::111111111111:role/backstage' };
    expect(ask(trust('arn:aws:iam::111111111111:role/backstage'), session)).toBe('allow');
    expect(ask(trust('arn:aws:iam::333333333333:root'), session)).toBe('implicitDeny');
    // A statement without Principal is an identity-policy statement, not trust.
    expect(ask(doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }), user)).toBe('implicitDeny');
  });
});
