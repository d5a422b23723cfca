import type { PolicySource } from './accessDrift';
import type { PolicyDocument, PolicyStatement } from './policyDocument';

/** A policy file that cannot be read as IAM policies; the message names the file and the statement. */
export class PolicyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyFileError';
  }
}

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'NotPrincipal']);

/**
 * Reads the policy documents of one file, in the shapes people have at hand:
 * a policy document; a list of them; what `ecs-catalog-sync iam-policy`
 * prints (`{ policies: [{ document }] }`); what `aws iam get-policy-version`
 * prints (`{ PolicyVersion: { Document } }`, the document possibly URL-encoded).
 */
export function parsePolicyFile(text: string, file: string): PolicySource[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PolicyFileError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const found: Array<{ where: string; value: unknown }> = [];
  if (Array.isArray(value)) value.forEach((v, i) => found.push({ where: `${file}, item ${i + 1}`, value: v }));
  else if (isObject(value) && Array.isArray(value.policies)) {
    value.policies.forEach((p, i) => found.push({ where: `${file}, policies[${i}]`, value: isObject(p) ? p.document : p }));
  } else if (isObject(value) && isObject(value.PolicyVersion)) {
    const document = value.PolicyVersion.Document;
    found.push({ where: file, value: typeof document === 'string' ? decodeDocument(document, file) : document });
  } else found.push({ where: file, value });
  if (found.length === 0) throw new PolicyFileError(`${file}: holds no policy document`);
  return found.map(({ where, value: v }) => ({ source: where, document: readDocument(v, where) }));
}

function decodeDocument(text: string, file: string): unknown {
  try {
    return JSON.parse(text.trimStart().startsWith('{') ? text : decodeURIComponent(text));
  } catch {
    throw new PolicyFileError(`${file}: PolicyVersion.Document is neither JSON nor URL-encoded JSON`);
  }
}

/** Checks the IAM grammar this package relies on; anything else is refused with its place. */
export function readDocument(value: unknown, where: string): PolicyDocument {
  if (!isObject(value)) throw new PolicyFileError(`${where}: expected a policy document, an object with Version and Statement`);
  if (value.Version !== '2012-10-17') {
    throw new PolicyFileError(`${where}: Version must be "2012-10-17"${value.Version === undefined ? ' (missing)' : ''}; older grammar is not read`);
  }
  const statements = Array.isArray(value.Statement) ? value.Statement : isObject(value.Statement) ? [value.Statement] : undefined;
  if (!statements) throw new PolicyFileError(`${where}: Statement must be a statement or a list of statements`);
  return { Version: '2012-10-17', Statement: statements.map((s, i) => readStatement(s, `${where}, Statement[${i}]`)) };
}

function readStatement(value: unknown, where: string): PolicyStatement {
  if (!isObject(value)) throw new PolicyFileError(`${where}: expected an object`);
  for (const key of Object.keys(value)) if (!STATEMENT_KEYS.has(key)) throw new PolicyFileError(`${where}: unknown key ${JSON.stringify(key)}`);
  if (value.Effect !== 'Allow' && value.Effect !== 'Deny') throw new PolicyFileError(`${where}: Effect must be Allow or Deny`);
  if ((value.Action === undefined) === (value.NotAction === undefined)) throw new PolicyFileError(`${where}: needs exactly one of Action and NotAction`);
  if ((value.Resource === undefined) === (value.NotResource === undefined)) throw new PolicyFileError(`${where}: needs exactly one of Resource and NotResource`);
  const statement: PolicyStatement = { Effect: value.Effect };
  if (value.Sid !== undefined) {
    if (typeof value.Sid !== 'string') throw new PolicyFileError(`${where}: Sid must be a string`);
    statement.Sid = value.Sid;
  }
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    if (value[key] === undefined) continue;
    statement[key] = stringOrList(value[key], `${where}.${key}`);
  }
  if (value.Condition !== undefined) {
    if (!isObject(value.Condition)) throw new PolicyFileError(`${where}.Condition: must be an object of operators`);
    statement.Condition = value.Condition as PolicyStatement['Condition'];
  }
  return statement;
}

function stringOrList(value: unknown, where: string): string | string[] {
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && value.length > 0 && value.every(v => typeof v === 'string' && v !== '')) return value as string[];
  throw new PolicyFileError(`${where}: must be a non-empty string or a non-empty list of strings`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
