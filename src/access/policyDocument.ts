/** The IAM policy grammar this package writes and reads. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  /** Trust policies only: who may assume the role. */
  Principal?: { AWS: string | string[] };
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** Characters of a customer managed policy; IAM does not count white space. */
export const MANAGED_POLICY_LIMIT = 6144;

/** The size IAM counts: the document without white space outside strings. */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).length;
}

export function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
