import { WarningPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { viewHasFindings } from '../entityPredicates';
import type { EntityEcsView } from '../api/types';
import { STATE_LABELS } from './claimStates';
import { useEntityEcsView } from './useEntityEcsView';

/**
 * A warning for the top of the entity page when the latest scan found
 * something wrong with the entity's ECS claims (or, on an ECS service entity,
 * with the service). Renders nothing while loading, on an error, or when all
 * is well: the card says more.
 */
export function ClaimsWarning() {
  const { value } = useEntityEcsView();
  if (!value || !viewHasFindings(value)) return null;
  const lines = warningLines(value);
  return (
    <WarningPanel severity="warning" title={`ECS: ${lines.length === 1 ? 'one finding' : `${lines.length} findings`} from the last scan`} defaultExpanded>
      {lines.map((line, i) => (
        <Typography variant="body2" paragraph key={i}>
          <strong>{line.label}:</strong> {line.message}
        </Typography>
      ))}
      <Typography variant="body2">The ECS services card shows the YAML to write.</Typography>
    </WarningPanel>
  );
}

function warningLines(view: EntityEcsView): Array<{ label: string; message: string }> {
  if (view.kind === 'service') return view.findings.map(f => ({ label: STATE_LABELS[f.state], message: f.message }));
  return [
    ...view.claims.flatMap(c => c.findings.map(f => ({ label: STATE_LABELS[f.state], message: f.message }))),
    ...view.tabMismatches.map(t => ({ label: 'AWS Labs ECS tab', message: t.message })),
  ];
}
