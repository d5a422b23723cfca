import { Content, EmptyState, Header, Page, Progress, ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, EntityRefLink, EntityRefLinks } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ecsCatalogSyncApiRef } from '../api/EcsCatalogSyncApi';
import type { DriftReport } from '../api/types';
import { ANNOTATION_SERVICE_ARN, ECS_SERVICE_TYPE } from '../entityPredicates';
import { choices, driftRows, FINDING_KIND_LABELS, FINDING_KINDS, filterRows, type DriftRow, type FindingKind } from './driftRows';
import { isNoScanYet } from './errors';

const ANNOTATION_REPORTED_SERVICE_ARN = 'aws.amazon.com/ecs-reported-service-arn';
const MINE = '\u0000mine';
const ALL = '\u0000all';

/**
 * The drift report for people: by default the findings addressed to the
 * signed-in user's groups (every owner when the user belongs to none),
 * filterable by owner, finding kind, account and region.
 */
export function DriftPage() {
  return (
    <Page themeId="tool">
      <Header title="ECS drift" subtitle="ECS services and the catalog entities that claim them, as the last scan found them" />
      <Content>
        <DriftReportView />
      </Content>
    </Page>
  );
}

function DriftReportView() {
  const api = useApi(ecsCatalogSyncApiRef);
  const identityApi = useApi(identityApiRef);
  const state = useAsync(async () => {
    const [report, identity] = await Promise.all([api.getDriftReport(), identityApi.getBackstageIdentity()]);
    const groups = identity.ownershipEntityRefs.filter(ref => ref.toLowerCase().startsWith('group:'));
    return { report, groups };
  }, [api, identityApi]);

  if (state.loading) return <Progress />;
  if (state.error) {
    return isNoScanYet(state.error) ? (
      <EmptyState missing="data" title="No ECS scan has completed yet" description="The report appears when the provider's first scan completes." />
    ) : (
      <ResponseErrorPanel error={state.error} />
    );
  }
  if (!state.value) return null;
  return <FilteredReport report={state.value.report} groups={state.value.groups} />;
}

function FilteredReport({ report, groups }: { report: DriftReport; groups: string[] }) {
  const rows = useMemo(() => driftRows(report), [report]);
  const [owner, setOwner] = useState(groups.length > 0 ? MINE : ALL);
  const [kind, setKind] = useState('');
  const [accountId, setAccountId] = useState('');
  const [region, setRegion] = useState('');
  const serviceRefs = useServiceRefs();

  const owners = owner === MINE ? groups : owner === ALL ? null : [owner];
  const shown = filterRows(rows, { owners, kind: (kind || null) as FindingKind | null, accountId: accountId || null, region: region || null });

  return (
    <>
      {!report.summary.complete && <IncompleteReport report={report} />}
      <Typography variant="body2" paragraph>
        Scan of {report.generatedAt}: {report.summary.liveServices} live services, {Math.round(report.summary.coverage * 100)}% claimed. Showing {shown.length} of{' '}
        {rows.length} findings.
      </Typography>
      <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} marginBottom={2}>
        <Choice id="ecs-drift-owner" label="Owner" value={owner} onChange={setOwner}>
          {groups.length > 0 && <option value={MINE}>My groups ({groups.join(', ')})</option>}
          <option value={ALL}>Every owner</option>
          <Options values={choices(rows, r => r.owner)} />
        </Choice>
        <Choice id="ecs-drift-kind" label="Finding" value={kind} onChange={setKind}>
          <option value="">Every kind</option>
          <Options values={FINDING_KINDS} label={k => FINDING_KIND_LABELS[k as (typeof FINDING_KINDS)[number]]} />
        </Choice>
        <Choice id="ecs-drift-account" label="Account" value={accountId} onChange={setAccountId}>
          <option value="">Every account</option>
          <Options values={choices(rows, r => r.accountId)} />
        </Choice>
        <Choice id="ecs-drift-region" label="Region" value={region} onChange={setRegion}>
          <option value="">Every region</option>
          <Options values={choices(rows, r => r.region)} />
        </Choice>
      </Box>
      {shown.length === 0 ? (
        <EmptyState
          missing="content"
          title={rows.length === 0 ? 'No drift: every claim matches a live service' : 'No finding matches these filters'}
          description={owner === MINE ? `Nothing is addressed to ${groups.join(', ')}. Choose "Every owner" to see the whole report.` : undefined}
        />
      ) : (
        <Table size="small" aria-label="ECS drift findings">
          <TableHead>
            <TableRow>
              <TableCell>Finding</TableCell>
              <TableCell>Owner</TableCell>
              <TableCell>Entities</TableCell>
              <TableCell>Service</TableCell>
              <TableCell>Account / region</TableCell>
              <TableCell>What is wrong</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map((row, i) => (
              <FindingRow key={i} row={row} serviceRef={row.arn ? serviceRefs.get(row.arn) : undefined} />
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}

function FindingRow({ row, serviceRef }: { row: DriftRow; serviceRef: string | undefined }) {
  return (
    <TableRow>
      <TableCell>{FINDING_KIND_LABELS[row.kind]}</TableCell>
      <TableCell>{row.owner === 'unowned' || !row.owner.includes(':') ? row.owner : <EntityRefLink entityRef={row.owner} />}</TableCell>
      <TableCell>{row.entityRefs.length > 0 ? <EntityRefLinks entityRefs={row.entityRefs} /> : null}</TableCell>
      <TableCell style={{ wordBreak: 'break-all' }}>{row.arn === null ? null : serviceRef ? <EntityRefLink entityRef={serviceRef} title={row.arn} /> : row.arn}</TableCell>
      <TableCell>{[row.accountId, row.region].filter(Boolean).join(' / ')}</TableCell>
      <TableCell>{row.message}</TableCell>
    </TableRow>
  );
}

function IncompleteReport({ report }: { report: DriftReport }) {
  return (
    <Box marginBottom={2}>
      <WarningPanel severity="warning" title="This report is incomplete" defaultExpanded>
        <Typography variant="body2" paragraph>
          {report.summary.alerts} scope(s) could not be read and {report.summary.notVerified} claim(s) could not be verified: what lies there is neither matched nor phantom.
        </Typography>
        {report.alerts.map((alert, i) => (
          <Typography variant="body2" key={i}>
            Account {alert.accountId}, region {alert.region}: {alert.error}
          </Typography>
        ))}
      </WarningPanel>
    </Box>
  );
}

function Choice(props: { id: string; label: string; value: string; onChange: (value: string) => void; children: React.ReactNode }) {
  return (
    <TextField
      id={props.id}
      select
      label={props.label}
      value={props.value}
      onChange={event => props.onChange(event.target.value)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      style={{ minWidth: 200 }}
    >
      {props.children}
    </TextField>
  );
}

/** One option per value, shown as its label. */
function Options({ values, label = value => value }: { values: readonly string[]; label?: (value: string) => string }) {
  return (
    <>
      {values.map(value => (
        <option key={value} value={value}>
          {label(value)}
        </option>
      ))}
    </>
  );
}

/** The catalog's ECS service entities by ARN (both formats), so each service links to its page; empty when the catalog cannot be read. */
function useServiceRefs(): Map<string, string> {
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Resource', 'spec.type': ECS_SERVICE_TYPE },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.annotations'],
    });
    const byArn = new Map<string, string>();
    for (const entity of items) {
      const ref = stringifyEntityRef(entity);
      for (const key of [ANNOTATION_SERVICE_ARN, ANNOTATION_REPORTED_SERVICE_ARN]) {
        const arn = entity.metadata.annotations?.[key];
        if (arn) byArn.set(arn, ref);
      }
    }
    return byArn;
  }, [catalogApi]);
  return value ?? new Map();
}
