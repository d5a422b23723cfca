/**
 * Whether a scheduled run of a scan group is only the scheduler catching up:
 * when a replica dies holding a group, the scheduler frees it after its
 * timeout with its next run long past, and the run after the takeover falls
 * due again at once. A run that comes less than half an interval after the
 * group's last finished run, without anyone asking for one since, scans
 * nothing new and is skipped.
 */
export function isCatchUpRun(run: { finishedAt?: string; wantedAt?: string }, now: Date, intervalMs: number | undefined): boolean {
  if (intervalMs === undefined || run.finishedAt === undefined) return false;
  const finished = Date.parse(run.finishedAt);
  if (run.wantedAt !== undefined && Date.parse(run.wantedAt) >= finished) return false;
  return now.getTime() - finished < intervalMs / 2;
}
