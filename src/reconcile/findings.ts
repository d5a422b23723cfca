/** What reconciling the ECS inventory with the catalog's claims found. Plain data, sorted, deterministic. */

export interface Suggestion {
  arn: string;
  why: string;
}

export interface Phantom {
  entityRef: string;
  annotation: string;
  /** The claimed ARN, for an ARN claim. */
  arn?: string;
  /** The selector as written, for a tag-selector claim. */
  selector?: string;
  reason: string;
  suggestion: Suggestion | null;
}

export interface Unclaimed {
  arn: string;
  name: string;
  accountId: string;
  region: string;
}

export interface OwnerDrift {
  arn: string;
  /** The claiming entity, or null when nobody claims the service. */
  entityRef: string | null;
  entityOwner: string | null;
  /** The owner tag as written on the service. */
  tagOwner: string;
  /** The owner tag as a group reference in the namespace its mapping rule sets, or null when it is not a valid name. */
  tagOwnerRef: string | null;
  reason: string;
}

export interface DuplicateClaim {
  arn: string;
  entityRefs: string[];
}

export interface MalformedClaimFinding {
  entityRef: string;
  annotation: string;
  value: string;
  reason: string;
}

export interface NotVerified {
  entityRef: string;
  annotation: string;
  value: string;
  reason: string;
}

/** What to write instead of a claim, in one annotation (and no other ECS claim annotation on the entity). */
export interface TabSuggestion {
  annotation: string;
  value: string;
}

/**
 * A claim that the AWS Labs ECS entity tab reads differently from us, or not
 * at all: the tab takes the ARN annotation as one long-format ARN, sends the
 * selector's keys and values to the Tagging API as written (exact case, each
 * pair cut at its second `=`), and reads neither annotation when both are set.
 */
export interface TabMismatch {
  entityRef: string;
  annotation: string;
  /** The annotation as written. */
  value: string;
  reason: string;
  /** A value both read the same way, or null when no single annotation can say what the entity claims. */
  suggestion: TabSuggestion | null;
}

/** A scope that could not be read: what lies in it is neither matched nor phantom. */
export interface Alert {
  accountId: string;
  region: string;
  error: string;
}

export interface Match {
  entityRef: string;
  arn: string;
}

export interface Findings {
  matched: Match[];
  phantoms: Phantom[];
  unclaimed: Unclaimed[];
  ownerDrift: OwnerDrift[];
  duplicateClaims: DuplicateClaim[];
  malformedClaims: MalformedClaimFinding[];
  notVerified: NotVerified[];
  tabMismatches: TabMismatch[];
  alerts: Alert[];
  /** Live services in the scopes that were read. */
  liveServices: number;
  /** Of those, the ones some entity claims. */
  claimedServices: number;
}
