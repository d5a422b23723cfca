import { parsePolicyFile, PolicyFileError } from '../../src/access/readPolicies';
import { passRolesFor, passRoleProblem } from '../../src/access/passRoles';

const DOC = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: 'arn:aws:ecs:eu-west-1:111111111111:service/a/b' }] };

describe('parsePolicyFile', () => {
  it.each([
    ['a policy document', DOC, ['p.json']],
    ['a list of documents', [DOC, DOC], ['p.json, item 1', 'p.json, item 2']],
    ['the iam-policy output', { team: 'group:default/a', profile: 'read', policies: [{ accountId: '1', document: DOC }] }, ['p.json, policies[0]']],
    ['aws iam get-policy-version output', { PolicyVersion: { Document: DOC, VersionId: 'v3' } }, ['p.json']],
    ['get-policy-version with a URL-encoded document', { PolicyVersion: { Document: encodeURIComponent(JSON.stringify(DOC)) } }, ['p.json']],
  ])('reads %s', (_name, value, sources) => {
    const read = parsePolicyFile(JSON.stringify(value), 'p.json');
    expect(read.map(r => r.source)).toEqual(sources);
    for (const r of read) expect(r.document.Statement[0].Action).toBe('ecs:DescribeServices');
  });

  it('reads a single statement object as a list of one', () => {
    const read = parsePolicyFile(JSON.stringify({ Version: '2012-10-17', Statement: DOC.Statement[0] }), 'p.json');
    expect(read[0].document.Statement).toHaveLength(1);
  });

  it.each([
    ['not JSON', '{', /p\.json: not valid JSON/],
    ['an old grammar version', JSON.stringify({ ...DOC, Version: '2008-10-17' }), /p\.json: Version must be "2012-10-17"/],
    ['a statement without Effect', JSON.stringify({ ...DOC, Statement: [{ Action: 'ecs:*', Resource: '*' }] }), /p\.json, Statement\[0\]: Effect must be Allow or Deny/],
    ['both Action and NotAction', JSON.stringify({ ...DOC, Statement: [{ Effect: 'Allow', Action: 'a:b', NotAction: 'a:c', Resource: '*' }] }), /Statement\[0\]: needs exactly one of Action and NotAction/],
    ['an empty resource list', JSON.stringify({ ...DOC, Statement: [{ Effect: 'Allow', Action: 'a:b', Resource: [] }] }), /Statement\[0\]\.Resource: must be a non-empty/],
    ['a misspelt key', JSON.stringify({ ...DOC, Statement: [{ Effect: 'Allow', Actions: 'a:b', Resource: '*' }] }), /Statement\[0\]: unknown key "Actions"/],
    ['an iam-policy output with a broken document', JSON.stringify({ policies: [{ document: DOC }, { document: { Version: '2012-10-17' } }] }), /p\.json, policies\[1\]: Statement must be/],
  ])('refuses %s, naming the file and the place', (_name, text, message) => {
    expect(() => parsePolicyFile(text, 'p.json')).toThrow(PolicyFileError);
    expect(() => parsePolicyFile(text, 'p.json')).toThrow(message);
  });
});

describe('pass roles', () => {
  it('fills in the team and the account, and keeps only roles of that account', () => {
    const templates = ['arn:aws:iam::{accountId}:role/ecs-{team}', 'arn:aws:iam::222222222222:role/shared', 'arn:aws:iam::{accountId}:role/ecs-{team}'];
    expect(passRolesFor(templates, 'group:ops/team-c', '111111111111')).toEqual(['arn:aws:iam::111111111111:role/ecs-team-c']);
    expect(passRolesFor(templates, 'group:ops/team-c', '222222222222')).toEqual(['arn:aws:iam::222222222222:role/ecs-team-c', 'arn:aws:iam::222222222222:role/shared']);
    // Teams of the same name in two namespaces get distinct roles when the template says so.
    const byNamespace = ['arn:aws:iam::{accountId}:role/ecs-{namespace}-{team}'];
    expect(passRolesFor(byNamespace, 'group:ops/team-c', '111111111111')).toEqual(['arn:aws:iam::111111111111:role/ecs-ops-team-c']);
    expect(passRolesFor(byNamespace, 'group:default/team-c', '111111111111')).toEqual(['arn:aws:iam::111111111111:role/ecs-default-team-c']);
  });

  it.each([
    ['arn:aws:iam::{accountId}:role/ecs-task-{team}', undefined],
    ['arn:aws-cn:iam::111111111111:role/path/to/role', undefined],
    ['arn:aws:iam::{accountId}:role/{team}', undefined],
    ['arn:aws:iam::{accountId}:role/*', /every role/],
    ['arn:aws:iam::{accountId}:role/{team}*', /wildcard beside \{team\}/],
    ['arn:aws:iam::{accountId}:role/ecs-task-{team}-*', /wildcard beside \{team\}/],
    ['arn:aws:iam::{accountId}:role/shared-*', undefined],
    ['arn:aws:iam::{accountId}:role/{namespace}-{team}', undefined],
    ['arn:aws:iam::{accountId}:user/bob', /not an IAM role ARN/],
    ['arn:aws:iam::{account}:role/x', /not an IAM role ARN/],
    ['arn:aws:iam::{accountId}:role/x-{env}', /unknown placeholder/],
  ])('judges %s', (template, problem) => {
    const found = passRoleProblem(template);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});
