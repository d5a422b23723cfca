import { parseEntityRef } from '@backstage/catalog-model';
import type { PolicyDocument } from './policyDocument';
import { OPERATE_SESSION_TAG_KEYS, OPERATE_SESSION_TAGS, SOURCE_IDENTITY_PATTERN } from './operateRole';

const PRINCIPAL = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

/** Why an ARN cannot be the principal the operate roles trust, or undefined when it can. */
export function backstagePrincipalProblem(arn: string): string | undefined {
  if (/^arn:[\w-]+:sts::\d{12}:assumed-role\//.test(arn)) {
    // A session ARN changes with every session; IAM trusts the role behind it.
    const [, , , , account, resource] = arn.split(':');
    const role = resource.split('/')[1];
    return `'${arn}' is a session of a role; trust the role itself, such as arn:aws:iam::${account}:role/${role}`;
  }
  if (/^(\d{12}|arn:[\w-]+:iam::\d{12}:root)$/.test(arn)) {
    return `'${arn}' is a whole account: every principal there allowed sts:AssumeRole could act as any team; name Backstage's own role, such as arn:aws:iam::111111111111:role/backstage`;
  }
  if (!PRINCIPAL.test(arn) || /[*?]/.test(arn)) return `'${arn}' is not the ARN of an IAM role or user, such as arn:aws:iam::111111111111:role/backstage`;
  return undefined;
}

/**
 * The trust policy of a team's operate role: only Backstage's principal may
 * assume it, only naming a user as source identity (`<name>@<namespace>`),
 * only tagging the session as this team's, with the user named, and with no
 * tag keys but the operation's three. Each action gets the condition keys
 * the Service Authorization Reference lists for it, so that AssumeRole,
 * SetSourceIdentity and TagSession are each limited on their own. Pure.
 */
export function operateRoleTrust(team: string, principal: string): PolicyDocument {
  const teamName = parseEntityRef(team).name;
  const trusted = { AWS: principal };
  const sourceIdentity = {
    Null: { 'sts:SourceIdentity': 'false' },
    StringLike: { 'sts:SourceIdentity': SOURCE_IDENTITY_PATTERN },
  };
  const tags = {
    StringEquals: { [`aws:RequestTag/${OPERATE_SESSION_TAGS.team}`]: teamName },
    Null: { [`aws:RequestTag/${OPERATE_SESSION_TAGS.user}`]: 'false' },
    'ForAllValues:StringEquals': { 'aws:TagKeys': [...OPERATE_SESSION_TAG_KEYS] },
  };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'BackstageAssumesForTeam',
        Effect: 'Allow',
        Principal: trusted,
        Action: 'sts:AssumeRole',
        Condition: {
          Null: { ...sourceIdentity.Null, ...tags.Null },
          StringLike: sourceIdentity.StringLike,
          StringEquals: tags.StringEquals,
          'ForAllValues:StringEquals': tags['ForAllValues:StringEquals'],
        },
      },
      { Sid: 'BackstageNamesTheUser', Effect: 'Allow', Principal: trusted, Action: 'sts:SetSourceIdentity', Condition: sourceIdentity },
      { Sid: 'BackstageTagsTheSession', Effect: 'Allow', Principal: trusted, Action: 'sts:TagSession', Condition: tags },
    ],
  };
}
