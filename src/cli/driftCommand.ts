import { parseArgs } from 'node:util';
import { loadAppConfig } from '../config/loadAppConfig';
import { readProviderConfigs } from '../config/providerConfig';
import { analyseFleet } from '../analysis/analyseFleet';
import { findingCount, type DriftReport } from '../report/driftReport';
import { renderDriftJson } from '../report/renderJson';
import { renderDriftMarkdown } from '../report/renderMarkdown';
import { renderDriftTable } from '../report/renderTable';
import { entitySource } from './loadEntities';
import { EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK } from './exitCodes';
import { chooseProvider, isComplete, withScanner } from './scanCommand';
import { UsageError } from './usageError';

export const DRIFT_USAGE =
  'ecs-catalog-sync drift --config <app-config.yaml> (--entities <file.yaml|json> | --catalog-url <url> [--token <token>]) [--provider <id>] [--format json|markdown|table]';

const FORMATS = ['json', 'markdown', 'table'] as const;
type Format = (typeof FORMATS)[number];

/**
 * Scans a provider's scope, reads the catalog's entities (from a file or a
 * running Backstage), reconciles them and prints the drift report.
 *
 * Exit codes: 0 no finding and everything was compared; 1 findings (whatever
 * else); 2 no finding but some scope could not be compared, or the command
 * could not run at all (the message on stderr names the key or file).
 */
export async function driftCommand(argv: string[], out: (text: string) => void, err: (text: string) => void = text => process.stderr.write(`${text}\n`)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      entities: { type: 'string' },
      'catalog-url': { type: 'string' },
      token: { type: 'string' },
      provider: { type: 'string' },
      format: { type: 'string', default: 'table' },
    },
    strict: true,
  });
  if (!values.config) throw new UsageError(`--config is required\nusage: ${DRIFT_USAGE}`);
  const readEntities = entitySource(values, { required: true, usage: DRIFT_USAGE });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be ${FORMATS.join(', ')}, not '${values.format}'`);

  const root = await loadAppConfig(values.config);
  const provider = chooseProvider(readProviderConfigs(root), values.provider);

  // The entities first: a typo in a file name should not cost a whole scan.
  const entities = (await readEntities())!;

  const { inventory, report } = await withScanner(root, provider, async scanner => {
    const scanned = await scanner.scan();
    const analysis = await analyseFleet({ inventory: scanned, entities, mapping: provider.mapping, lookUp: targets => scanner.lookUp(targets), now: new Date() });
    return { inventory: scanned, report: analysis.report };
  });
  out(render(report, format));

  // A failed account discovery is no shard failure, so the report alone can
  // read as complete; the accounts it would have found were never compared.
  if (inventory.discovery?.status === 'failed') {
    err(`warning: ${inventory.discovery.error?.message ?? 'account discovery failed'}; accounts it would have found were not compared`);
  }
  if (findingCount(report) > 0) return EXIT_FINDINGS;
  return report.summary.complete && isComplete(inventory) ? EXIT_OK : EXIT_INCOMPLETE;
}

function render(report: DriftReport, format: Format): string {
  switch (format) {
    case 'json':
      return renderDriftJson(report);
    case 'markdown':
      return renderDriftMarkdown(report, {});
    case 'table':
      return renderDriftTable(report);
  }
}
