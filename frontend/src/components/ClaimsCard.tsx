import { EmptyState, InfoCard, Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { EntityRefLink, EntityRefLinks } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { EcsServiceView, EntityClaimsView } from '../api/types';
import { isNoScanYet } from './errors';
import { StateChip } from './StateChip';
import { useEntityEcsView } from './useEntityEcsView';
import { YamlSnippet } from './YamlSnippet';

const TITLE = 'ECS services';

/**
 * The entity's ECS claims as the latest scan judged them: each claimed
 * service with its state, what is wrong and the YAML to write; for an ECS
 * service entity, where it runs, where its owner came from and who claims it.
 */
export function ClaimsCard() {
  const { value, loading, error } = useEntityEcsView();
  if (loading) {
    return (
      <InfoCard title={TITLE}>
        <Progress />
      </InfoCard>
    );
  }
  if (error) {
    return (
      <InfoCard title={TITLE}>
        {isNoScanYet(error) ? (
          <EmptyState missing="data" title="No ECS scan has completed yet" description="The claims are judged at the end of the next scan." />
        ) : (
          <ResponseErrorPanel error={error} />
        )}
      </InfoCard>
    );
  }
  if (!value) return null;
  return (
    <InfoCard title={TITLE} subheader={`As of the scan of ${value.generatedAt}`}>
      {!value.complete && (
        <Typography variant="body2" paragraph>
          The last scan could not read every account and region: claims on services there are not verified.
        </Typography>
      )}
      {value.kind === 'claims' ? <ClaimsTable view={value} /> : <ServiceFacts view={value} />}
    </InfoCard>
  );
}

function ClaimsTable({ view }: { view: EntityClaimsView }) {
  return (
    <>
      {/* Fixed columns: a long ARN or YAML line wraps or scrolls in its own cell instead of crushing the others. */}
      <Table size="small" aria-label="ECS claims" style={{ tableLayout: 'fixed' }}>
        <TableHead>
          <TableRow>
            <TableCell style={{ width: '32%' }}>Claim</TableCell>
            <TableCell style={{ width: 112 }}>State</TableCell>
            <TableCell>What is wrong</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {view.claims.map(claim => (
            <TableRow key={`${claim.annotation}\u0000${claim.value}`}>
              <TableCell>
                <Typography variant="body2" style={{ wordBreak: 'break-all' }}>
                  {claim.value}
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  {claim.annotation}
                </Typography>
              </TableCell>
              <TableCell>
                <StateChip state={claim.state} />
              </TableCell>
              <TableCell>
                {claim.findings.length === 0 ? (
                  <Typography variant="body2">Nothing: the claimed service is live and agrees with the catalog.</Typography>
                ) : (
                  claim.findings.map((finding, i) => (
                    <Typography variant="body2" paragraph key={i}>
                      {finding.message}
                    </Typography>
                  ))
                )}
                {claim.yaml !== null && <YamlSnippet yaml={claim.yaml} label={`YAML for ${claim.value}`} />}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {view.tabMismatches.length > 0 && (
        <Box marginTop={2}>
          <Typography variant="subtitle2">The AWS Labs ECS tab reads these claims otherwise</Typography>
          {view.tabMismatches.map((mismatch, i) => (
            <Box key={i} marginTop={1}>
              <Typography variant="body2" paragraph>
                {mismatch.message}
              </Typography>
              {mismatch.yaml !== null && <YamlSnippet yaml={mismatch.yaml} label={`YAML for the ECS tab (${mismatch.annotation})`} />}
            </Box>
          ))}
        </Box>
      )}
      {view.yaml !== null && view.claims.filter(c => c.yaml !== null).length > 1 && (
        <Box marginTop={2}>
          <Typography variant="subtitle2">Every fix at once</Typography>
          <YamlSnippet yaml={view.yaml} label="YAML with every fix" />
        </Box>
      )}
    </>
  );
}

const OWNER_SOURCES: Record<string, string> = {
  tag: "the service's owner tag",
  rule: 'a mapping rule of the provider',
  claim: 'the entity that claims it',
  default: "the provider's default (nothing named an owner)",
};

function ServiceFacts({ view }: { view: EcsServiceView }) {
  const facts: Array<[string, React.ReactNode]> = [
    ['Account', view.accountId ?? 'unknown'],
    ['Region', view.region ?? 'unknown'],
    ['Cluster', view.cluster ?? 'unknown'],
    ['Launch type', view.launchType ?? 'unknown'],
    ['Owner', view.owner ? <EntityRefLink entityRef={view.owner} defaultKind="group" /> : 'none'],
    ['Owner from', view.ownerSource ? OWNER_SOURCES[view.ownerSource] ?? view.ownerSource : 'unknown'],
    ['Claimed by', view.claimants.length > 0 ? <EntityRefLinks entityRefs={view.claimants} /> : 'no entity'],
    ['AWS console', view.consoleUrl ? <Link to={view.consoleUrl}>Open the service in the AWS console</Link> : 'no link: the ARN does not have the shape ECS gives'],
  ];
  return (
    <>
      <Table size="small" aria-label="ECS service">
        <TableBody>
          {facts.map(([label, fact]) => (
            <TableRow key={label}>
              <TableCell component="th" scope="row">
                {label}
              </TableCell>
              <TableCell>{fact}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {view.findings.map((finding, i) => (
        <Box key={i} marginTop={1} display="flex" alignItems="baseline" style={{ gap: 8 }}>
          <StateChip state={finding.state} />
          <Typography variant="body2">{finding.message}</Typography>
        </Box>
      ))}
    </>
  );
}
