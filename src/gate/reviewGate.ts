import type { OperationsConfig } from './gateConfig';
import type { OperationAction } from './operationView';

/** What a gate looks at in a requested change. */
export interface GateSubject {
  action: OperationAction;
  /** The service entity's `spec.lifecycle`. */
  lifecycle: string | undefined;
  accountId: string;
}

export interface GateDecision {
  approvals: number;
  /** The gate that decided, or null when none matched and the default applies. */
  gate: string | null;
}

/**
 * How many approvals a change needs: the first gate whose every list holds the
 * change decides; with none, the config's default. Lifecycles compare without
 * case, as the catalog's own filters do.
 */
export function reviewGate(config: Pick<OperationsConfig, 'gates' | 'defaultApprovals'>, subject: GateSubject): GateDecision {
  const lifecycle = subject.lifecycle?.toLowerCase();
  for (const gate of config.gates) {
    if (gate.lifecycles && (lifecycle === undefined || !gate.lifecycles.some(l => l.toLowerCase() === lifecycle))) continue;
    if (gate.actions && !gate.actions.includes(subject.action)) continue;
    if (gate.accounts && !gate.accounts.includes(subject.accountId)) continue;
    return { approvals: gate.approvals, gate: gate.name };
  }
  return { approvals: config.defaultApprovals, gate: null };
}
