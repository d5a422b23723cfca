import Chip from '@material-ui/core/Chip';
import type { OperationStatus } from '../api/types';
import { STATUS_LABELS } from './operationText';

const COLORS: Record<OperationStatus, string> = {
  pending: '#ed6c02',
  running: '#0277bd',
  succeeded: '#2e7d32',
  failed: '#c62828',
  rejected: '#616161',
  expired: '#616161',
  refused: '#616161',
};

export function OperationStatusChip({ status }: { status: OperationStatus }) {
  return <Chip size="small" label={STATUS_LABELS[status]} style={{ backgroundColor: COLORS[status], color: '#fff' }} />;
}
