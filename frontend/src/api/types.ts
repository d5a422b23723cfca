/*
 * The shapes the drift plugin's routes answer with, written out here so the
 * frontend loads no backend code. `test/package/frontendTypes.test.ts` in the
 * repository root pins them to the backend's own types.
 */

/** How one claim stands in the latest report. */
export type ClaimState = 'matched' | 'phantom' | 'ownerDrift' | 'duplicate' | 'malformed' | 'notVerified';

export interface ClaimFinding {
  state: Exclude<ClaimState, 'matched'>;
  /** What is wrong and what to do, in words. */
  message: string;
}

export interface EntityClaim {
  annotation: string;
  /** One ARN of the ARN annotation, or the whole tag selector, as written. */
  value: string;
  /** The first of `findings`, or `matched` when there are none. */
  state: ClaimState;
  findings: ClaimFinding[];
  /** The claim annotation with this claim fixed, to paste into the entity's YAML; null when the fix is not in the entity's YAML. */
  yaml: string | null;
}

export interface EntityTabMismatch {
  annotation: string;
  value: string;
  message: string;
  /** The one annotation both this catalog and the AWS Labs ECS tab read alike; null when there is none. */
  yaml: string | null;
}

/** A claiming entity's claims, as the latest report judged them. */
export interface EntityClaimsView {
  kind: 'claims';
  entityRef: string;
  generatedAt: string;
  complete: boolean;
  claims: EntityClaim[];
  tabMismatches: EntityTabMismatch[];
  /** Every fix of the ARN annotation at once; null when it needs none. */
  yaml: string | null;
}

export interface ServiceFinding {
  state: 'ownerDrift' | 'duplicate' | 'unclaimed';
  message: string;
}

/** An ECS service entity: what runs, where, who owns it and who claims it. */
export interface EcsServiceView {
  kind: 'service';
  entityRef: string;
  generatedAt: string;
  complete: boolean;
  arn: string;
  accountId: string | null;
  region: string | null;
  cluster: string | null;
  launchType: string | null;
  owner: string | null;
  /** Where the owner came from: `tag`, `rule`, `claim` or `default`. */
  ownerSource: string | null;
  consoleUrl: string | null;
  /** The entities the service is a dependency of: the ones that claim it, and the component its tags name. */
  claimants: string[];
  findings: ServiceFinding[];
}

/** What `GET /entity/:namespace/:kind/:name/claims` answers. */
export type EntityEcsView = EntityClaimsView | EcsServiceView;

export interface Suggestion {
  arn: string;
  why: string;
}

export interface TabSuggestion {
  annotation: string;
  value: string;
}

export interface Addressed {
  /** Who should act: the claiming entity's owner, or the service's tag owner, or `unowned`. */
  owner: string;
}

/** What `GET /drift?format=json` answers. */
export interface DriftReport {
  generatedAt: string;
  summary: {
    phantoms: number;
    unclaimed: number;
    ownerDrift: number;
    duplicateClaims: number;
    malformedClaims: number;
    tabMismatches: number;
    notVerified: number;
    alerts: number;
    liveServices: number;
    claimedServices: number;
    coverage: number;
    complete: boolean;
  };
  phantoms: Array<{ entityRef: string; annotation: string; arn?: string; selector?: string; reason: string; suggestion: Suggestion | null } & Addressed>;
  unclaimed: Array<{ arn: string; name: string; accountId: string; region: string } & Addressed>;
  ownerDrift: Array<{ arn: string; entityRef: string | null; entityOwner: string | null; tagOwner: string; reason: string } & Addressed>;
  duplicateClaims: Array<{ arn: string; entityRefs: string[] } & Addressed>;
  malformedClaims: Array<{ entityRef: string; annotation: string; value: string; reason: string } & Addressed>;
  tabMismatches: Array<{ entityRef: string; annotation: string; value: string; reason: string; suggestion: TabSuggestion | null } & Addressed>;
  notVerified: Array<{ entityRef: string; annotation: string; value: string; reason: string } & Addressed>;
  alerts: Array<{ accountId: string; region: string; error: string }>;
}
