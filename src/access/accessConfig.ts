/** What the team-scoped IAM policies may grant beyond ECS itself. */
export interface AccessConfig {
  /**
   * Role ARN templates a team may pass to its tasks under the `deploy`
   * profile; `{team}` and `{accountId}` are filled in per policy.
   */
  passRoles: string[];
}
