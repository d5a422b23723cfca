/**
 * `emulator` command: serve a fleet file (or a generated fleet) on 127.0.0.1
 * until SIGINT/SIGTERM.
 *
 *   --fleet <file.yaml>        fleet to serve
 *   --generate A,R,C,S         or generate A accounts x R regions x C clusters x S services (messy)
 *   --seed N                   seed for --generate (default 1)
 *   --port N                   default: a free port
 *   --latency MS               add latency to every response
 *   --no-rate-limit            disable the ECS/Tagging token buckets
 *   --deploy-pipeline N        a deploy pipeline polling DescribeServices N times a second in every account and region
 */
import { startEmulator, type Emulator } from './emulator';
import { fleetSummary, loadFleetFile, type Fleet } from './fleet';
import { generateFleet } from './generate';

export const EMULATOR_USAGE =
  'emulator (--fleet <file.yaml> | --generate accounts,regions,clusters,services [--seed N]) [--port N] [--latency MS] [--no-rate-limit] [--deploy-pipeline N]';

export interface EmulatorCliOptions {
  /** Where the banner goes; default stdout. */
  log?: (line: string) => void;
  /** Stops the emulator when aborted (in addition to SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Called once the emulator is listening (tests use it to reach the instance). */
  onStarted?: (emulator: Emulator) => void;
}

interface Args {
  fleet?: string;
  generate?: [number, number, number, number];
  seed: number;
  port: number;
  latencyMs: number;
  rateLimit: boolean;
  deployPipeline: number;
}

function usage(message: string): Error {
  return new Error(`${message}\nusage: ${EMULATOR_USAGE}`);
}

function int(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < 0) throw usage(`${flag} needs a non-negative integer`);
  return n;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { seed: 1, port: 0, latencyMs: 0, rateLimit: true, deployPipeline: 0 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (name) {
      case '--fleet':
        args.fleet = value();
        if (!args.fleet) throw usage('--fleet needs a file');
        break;
      case '--generate': {
        const parts = (value() ?? '').split(',');
        if (parts.length !== 4) throw usage('--generate needs accounts,regions,clusters,services');
        args.generate = parts.map((p) => int('--generate', p)) as Args['generate'];
        break;
      }
      case '--seed':
        args.seed = int('--seed', value());
        break;
      case '--port':
        args.port = int('--port', value());
        break;
      case '--latency':
        args.latencyMs = int('--latency', value());
        break;
      case '--no-rate-limit':
        args.rateLimit = false;
        break;
      case '--deploy-pipeline': {
        const raw = value();
        const n = Number(raw);
        if (raw === undefined || !Number.isFinite(n) || n <= 0) throw usage('--deploy-pipeline needs calls per second, a number greater than 0');
        args.deployPipeline = n;
        break;
      }
      case '--help':
      case '-h':
        throw usage('');
      default:
        throw usage(`unknown option ${flag}`);
    }
  }
  if (!args.fleet === !args.generate) throw usage('give exactly one of --fleet or --generate');
  return args;
}

function banner(emu: Emulator, fleet: Fleet, source: string): string[] {
  const s = fleetSummary(fleet);
  const p = fleet.principals?.[0];
  const region = Object.keys(fleet.accounts.find((a) => a.regions && Object.keys(a.regions).length > 0)?.regions ?? {})[0] ?? 'us-east-1';
  const other = fleet.accounts.find((a) => a.id !== p?.accountId && (a.roles?.length ?? 0) > 0);
  const lines = [
    `AWS emulator (ECS, Tagging API, Organizations, STS) listening on ${emu.url}`,
    `  fleet: ${source}: ${s.accounts} accounts, ${s.clusters} clusters, ${s.services} services`,
  ];
  if (p) {
    // AWS CLI v1 reads only AWS_DEFAULT_REGION, the SDKs and CLI v2 AWS_REGION.
    const env = `AWS_ENDPOINT_URL=${emu.url} AWS_ACCESS_KEY_ID=${p.accessKeyId} AWS_SECRET_ACCESS_KEY=${p.secretAccessKey} AWS_REGION=${region} AWS_DEFAULT_REGION=${region}`;
    lines.push(
      `  principal: ${p.accessKeyId} / ${p.secretAccessKey} (account ${p.accountId}; emulator-only keys)`,
      '',
      'Try:',
      `  ${env} aws ecs list-clusters`,
      `  ${env} aws sts get-caller-identity`,
    );
    if (other?.roles?.[0]) {
      const role = other.roles[0];
      const ext = role.externalId !== undefined ? ` --external-id ${role.externalId}` : '';
      lines.push(`  ${env} aws sts assume-role --role-arn arn:aws:iam::${other.id}:role/${role.name} --role-session-name demo${ext}`);
    }
  } else {
    lines.push('  (the fleet defines no principals: only AssumeRoleWithWebIdentity can get credentials)');
  }
  const pipeline = emu.deployPipeline;
  if (pipeline) lines.push('', `A deploy pipeline polls DescribeServices ${pipeline.callsPerSecond} times a second in every account and region; its throttles: GET ${emu.url}/__emulator/stats (deployPipeline).`);
  lines.push('', 'Press Ctrl+C to stop.');
  return lines;
}

/** Runs until SIGINT/SIGTERM (or `options.signal`); rejects on bad arguments or fleet. */
export async function runEmulatorCli(argv: string[], options: EmulatorCliOptions = {}): Promise<void> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const args = parseArgs(argv);
  const fleet = args.fleet
    ? loadFleetFile(args.fleet)
    : generateFleet({
        seed: args.seed,
        accounts: args.generate![0],
        regions: args.generate![1],
        clustersPerRegion: args.generate![2],
        servicesPerCluster: args.generate![3],
        messy: true,
      });
  const emu = await startEmulator({
    fleet,
    port: args.port,
    faults: { latencyMs: args.latencyMs, ...(args.rateLimit ? {} : { rateLimit: false }) },
    ...(args.deployPipeline > 0 ? { deployPipeline: { callsPerSecond: args.deployPipeline } } : {}),
  });
  for (const line of banner(emu, fleet, args.fleet ?? `generated (seed ${args.seed})`)) log(line);
  options.onStarted?.(emu);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      options.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', stop);
  });
  await emu.close();
  log('AWS emulator stopped.');
}

if (require.main === module) {
  runEmulatorCli(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}
