import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useId, useState } from 'react';
import type { OperationAction, OperationCapabilities, OperationRequest } from '../api/types';
import { errorMessage } from './errors';
import { ACTION_LABELS, approvalsPhrase } from './operationText';

interface Props {
  action: OperationAction;
  entityRef: string;
  capabilities: OperationCapabilities;
  onSubmit: (request: OperationRequest) => Promise<void>;
  onClose: () => void;
}

type Fields = { reason: string; desiredCount: string; revision: string };
type Problems = Partial<Record<keyof Fields, string>>;

/** The form of one request: what the backend needs, checked before it is sent. */
export function RequestOperationDialog({ action, entityRef, capabilities, onSubmit, onClose }: Props) {
  const [fields, setFields] = useState<Fields>({ reason: '', desiredCount: '', revision: '' });
  const [problems, setProblems] = useState<Problems>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const approvals = capabilities.actions.find(a => a.action === action)?.approvalsRequired ?? 0;
  const family = capabilities.taskDefinitionFamily;
  const { min, max } = capabilities.scale;
  const id = useId();
  const titleId = `${id}-title`;

  const set = (key: keyof Fields) => (event: React.ChangeEvent<HTMLInputElement>) => setFields({ ...fields, [key]: event.target.value });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const found: Problems = {};
    const request: OperationRequest = { entityRef, action, reason: fields.reason.trim() };
    if (!request.reason) found.reason = 'Say why: the reason goes to the approvers and the audit trail.';
    if (action === 'scale') {
      const count = Number(fields.desiredCount.trim());
      if (fields.desiredCount.trim() === '' || !Number.isInteger(count) || count < min || count > max) found.desiredCount = `A whole number from ${min} to ${max}.`;
      else request.desiredCount = count;
    }
    if (action === 'deploy') {
      // A pasted `family:revision` of the service's own family is taken as its revision.
      const revision = family && fields.revision.trim().startsWith(`${family}:`) ? fields.revision.trim().slice(family.length + 1) : fields.revision.trim();
      if (!/^[1-9]\d*$/.test(revision)) found.revision = `A revision number of ${family ?? 'the family'}, such as 42.`;
      else request.taskDefinition = `${family}:${revision}`;
    }
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setSending(true);
    setServerError(null);
    try {
      await onSubmit(request);
    } catch (error) {
      setServerError(errorMessage(error));
      setSending(false);
    }
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{`${ACTION_LABELS[action]} the ECS service`}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" paragraph>
            {approvals > 0
              ? `This request needs ${approvalsPhrase(approvals)} from another owner before it runs.`
              : 'This request needs no approval: it runs as soon as you send it.'}
          </Typography>
          {action === 'scale' && (
            <TextField
              id={`${id}-desired-count`}
              label="Desired count"
              type="number"
              required
              fullWidth
              margin="dense"
              value={fields.desiredCount}
              onChange={set('desiredCount')}
              inputProps={{ min, max, step: 1 }}
              error={Boolean(problems.desiredCount)}
              helperText={problems.desiredCount ?? `From ${min} to ${max}.`}
            />
          )}
          {action === 'deploy' && (
            <TextField
              id={`${id}-revision`}
              label="Revision"
              required
              fullWidth
              margin="dense"
              value={fields.revision}
              onChange={set('revision')}
              InputProps={{ startAdornment: <InputAdornment position="start">{`${family ?? ''}:`}</InputAdornment> }}
              inputProps={{ inputMode: 'numeric' }}
              error={Boolean(problems.revision)}
              helperText={problems.revision ?? `The task definition ${family ?? ''}:<revision> to run.`}
            />
          )}
          <TextField
            id={`${id}-reason`}
            label="Reason"
            required
            fullWidth
            multiline
            minRows={2}
            margin="dense"
            value={fields.reason}
            onChange={set('reason')}
            error={Boolean(problems.reason)}
            helperText={problems.reason ?? 'Shown to the approvers and kept in the audit trail.'}
          />
          {serverError !== null && (
            <Typography role="alert" color="error" variant="body2">
              {serverError}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" color="primary" variant="contained" disabled={sending}>
            Request
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
