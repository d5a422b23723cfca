import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { accessDriftCount, checkAccess, type PolicySource } from '../access/accessDrift';
import { parsePolicyFile } from '../access/readPolicies';
import { shardKey } from '../scan/inventory';
import { explainNoServices, fleetOwnership, OWNERSHIP_OPTIONS } from './fleetOwnership';
import { EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK } from './exitCodes';
import { isComplete } from './scanCommand';
import { UsageError } from './usageError';

export const IAM_DRIFT_USAGE =
  'ecs-catalog-sync iam-drift --config <app-config.yaml> [--entities <file> | --catalog-url <url> [--token <token>]] --team <entity-ref> --profile read|operate|deploy --policy <policy.json> [--policy <file> ...] [--account <id>] [--provider <id>]';

/**
 * Compares a team's existing IAM policy files with what it owns now and prints
 * JSON: `uncovered` (owned, not granted), `excess` (granted, owned by someone
 * else), `unknown` (service ARNs that are not in the fleet), `notVerified`.
 *
 * Exit codes: 0 no drift and the whole scope was read; 1 drift; 2 no drift
 * found but some scope could not be read, or the command could not run.
 */
export async function iamDriftCommand(argv: string[], out: (text: string) => void, err: (text: string) => void = text => process.stderr.write(`${text}\n`)): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...OWNERSHIP_OPTIONS, policy: { type: 'string', multiple: true } }, strict: true });
  const files = values.policy ?? [];
  if (files.length === 0) throw new UsageError(`--policy is required: the team's existing policy documents (JSON)\nusage: ${IAM_DRIFT_USAGE}`);
  // The files first: a typo in a file name should not cost a whole scan.
  const documents: PolicySource[] = [];
  for (const file of files) documents.push(...parsePolicyFile(await readPolicyFile(file), file));

  const ownership = await fleetOwnership(values, IAM_DRIFT_USAGE);
  const readShards = new Set(ownership.inventory.shards.filter(s => s.status === 'ok').map(s => shardKey(s.accountId, s.region)));
  const drift = checkAccess({
    documents,
    services: ownership.services,
    team: ownership.team,
    profile: ownership.profile,
    accountId: ownership.accountId,
    readShards,
  });
  explainNoServices(ownership, err);
  out(JSON.stringify(drift, null, 2));
  if (accessDriftCount(drift) > 0) return EXIT_FINDINGS;
  return isComplete(ownership.inventory) && drift.notVerified.length === 0 ? EXIT_OK : EXIT_INCOMPLETE;
}

async function readPolicyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--policy ${file}: cannot read the file${code ? ` (${code})` : ''}`);
  }
}
