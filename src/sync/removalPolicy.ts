/** When entities of services that are gone may be removed. */
export interface RemovalPolicy {
  /** How long a service must stay missing from complete scans of its shard before its entity goes. */
  gracePeriodMs: number;
  /** Removals above this share of the entities a scan covers are held back while `guard` is on. */
  maxFraction: number;
  guard: boolean;
}
