import type { DriftReport } from './driftReport';

/**
 * The drift report as pretty JSON (2 spaces) for machines: the same keys in
 * the same order whatever order the report object was built in, so the output
 * diffs cleanly. Values are kept verbatim (JSON.stringify escapes what JSON
 * needs); consumers that display them must escape them for their medium.
 * A phantom carries `arn` for an ARN claim or `selector` for a tag-selector
 * claim; `suggestion` is `{arn, why}` or null; an owner drift's `entityRef`
 * and `entityOwner` are null when nobody claims the service; a tab mismatch's
 * `suggestion` is `{annotation, value}` or null.
 */
export function renderDriftJson(report: DriftReport): string {
  const s = report.summary;
  const ordered = {
    generatedAt: report.generatedAt,
    summary: {
      phantoms: s.phantoms,
      unclaimed: s.unclaimed,
      ownerDrift: s.ownerDrift,
      duplicateClaims: s.duplicateClaims,
      malformedClaims: s.malformedClaims,
      tabMismatches: s.tabMismatches,
      notVerified: s.notVerified,
      alerts: s.alerts,
      liveServices: s.liveServices,
      claimedServices: s.claimedServices,
      coverage: s.coverage,
      complete: s.complete,
    },
    phantoms: report.phantoms.map(p => ({
      owner: p.owner,
      entityRef: p.entityRef,
      annotation: p.annotation,
      ...(p.arn !== undefined ? { arn: p.arn } : {}),
      ...(p.selector !== undefined ? { selector: p.selector } : {}),
      reason: p.reason,
      suggestion: p.suggestion ? { arn: p.suggestion.arn, why: p.suggestion.why } : null,
    })),
    unclaimed: report.unclaimed.map(u => ({
      owner: u.owner,
      arn: u.arn,
      name: u.name,
      accountId: u.accountId,
      region: u.region,
    })),
    ownerDrift: report.ownerDrift.map(d => ({
      owner: d.owner,
      arn: d.arn,
      entityRef: d.entityRef ?? null,
      entityOwner: d.entityOwner ?? null,
      tagOwner: d.tagOwner,
      reason: d.reason,
    })),
    duplicateClaims: report.duplicateClaims.map(d => ({
      owner: d.owner,
      arn: d.arn,
      entityRefs: [...d.entityRefs],
    })),
    malformedClaims: report.malformedClaims.map(m => ({
      owner: m.owner,
      entityRef: m.entityRef,
      annotation: m.annotation,
      value: m.value,
      reason: m.reason,
    })),
    tabMismatches: report.tabMismatches.map(t => ({
      owner: t.owner,
      entityRef: t.entityRef,
      annotation: t.annotation,
      value: t.value,
      reason: t.reason,
      suggestion: t.suggestion ? { annotation: t.suggestion.annotation, value: t.suggestion.value } : null,
    })),
    notVerified: report.notVerified.map(n => ({
      owner: n.owner,
      entityRef: n.entityRef,
      annotation: n.annotation,
      value: n.value,
      reason: n.reason,
    })),
    alerts: report.alerts.map(a => ({
      accountId: a.accountId,
      region: a.region,
      error: a.error,
    })),
  };
  return JSON.stringify(ordered, null, 2);
}
