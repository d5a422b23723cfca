import Chip from '@material-ui/core/Chip';
import type { ClaimState, ServiceFinding } from '../api/types';
import { STATE_LABELS } from './claimStates';

/** A claim's state as a chip: green when matched, amber otherwise. */
export function StateChip({ state }: { state: ClaimState | ServiceFinding['state'] }) {
  return (
    <Chip
      size="small"
      label={STATE_LABELS[state]}
      style={state === 'matched' ? { backgroundColor: '#2e7d32', color: '#fff' } : { backgroundColor: '#ed6c02', color: '#fff' }}
    />
  );
}
