#!/usr/bin/env node
import { DRIFT_USAGE, driftCommand } from './driftCommand';
import { FIX_USAGE, fixCommand } from './fixCommand';
import { IAM_DRIFT_USAGE, iamDriftCommand } from './iamDriftCommand';
import { IAM_POLICY_USAGE, iamPolicyCommand } from './iamPolicyCommand';
import { SCAN_USAGE, scanCommand } from './scanCommand';
import { type Command, runAsProcess, runCommand } from './runCommand';

const USAGE = `usage:
  ${SCAN_USAGE}
      Scans every account and region of a provider config and prints what runs there.
      Exit code 0 when every shard was read, 2 when any shard failed (the output still lists all that was read).
  ${DRIFT_USAGE}
      Scans like scan, reads the entities (a YAML/JSON file, or a running catalog; the token may come from
      BACKSTAGE_TOKEN) and prints the drift report: phantoms, unclaimed services, owner drift, bad claims.
      Exit code 0 when there is no finding and everything was compared, 1 when there are findings,
      2 when some scope could not be compared or the command could not run.
  ${FIX_USAGE}
      Scans like drift and rewrites, in the entity files, only the claims with a certain fix: a phantom ARN with
      a suggested service, a short ARN, a claim the AWS Labs ECS tab cannot read; comments, order, quoting and
      line endings stay. A folder means every catalog-info.yaml / catalog-info.yml below it. Without --write it
      prints a unified diff and changes nothing; claims without a certain fix are listed on stderr, never edited.
      Exit code 0 nothing to fix (or all written), 1 fixes proposed, 2 some scope could not be read (claims
      into it are not touched) or the command could not run.
  ${IAM_POLICY_USAGE}
      Prints the team's least-privilege IAM policies (JSON, one document per account, split below IAM's
      6,144-character limit): read = describe and list its services and clusters, operate = read + UpdateService,
      deploy = operate + RegisterTaskDefinition + iam:PassRole on access.passRoles. Ownership comes from tags and
      rules, plus the claiming entities when --entities or --catalog-url is given. Exit code 0, or 2 when some
      scope could not be read.
  ${IAM_DRIFT_USAGE}
      Compares existing policy files with what the team owns now: services owned but not granted, services granted
      but owned by someone else, service ARNs not in the fleet. Exit code 0 no drift, 1 drift, 2 incomplete or error.

AWS credentials and endpoints come from the standard AWS environment variables
(AWS_ENDPOINT_URL, AWS_PROFILE, AWS_WEB_IDENTITY_TOKEN_FILE, ...).`;

const COMMANDS: Record<string, Command> = { scan: scanCommand, drift: driftCommand, fix: fixCommand, 'iam-policy': iamPolicyCommand, 'iam-drift': iamDriftCommand };

export function main(argv: string[], out: (text: string) => void = text => process.stdout.write(`${text}\n`)): Promise<number> {
  return runCommand(argv, COMMANDS, USAGE, out);
}

if (require.main === module) runAsProcess(main);
