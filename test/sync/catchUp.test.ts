import { isCatchUpRun } from '../../src/sync/catchUp';

const INTERVAL = 20 * 60_000;
const at = (minutes: number) => new Date(Date.parse('2026-12-01T10:00:00Z') + minutes * 60_000);

describe('a catch-up run after a takeover', () => {
  it('is skipped less than half an interval after the group last finished', () => {
    expect(isCatchUpRun({ finishedAt: at(0).toISOString() }, at(1), INTERVAL)).toBe(true);
    expect(isCatchUpRun({ finishedAt: at(0).toISOString() }, at(9), INTERVAL)).toBe(true);
  });

  it('runs once half an interval has passed, or when nothing finished yet', () => {
    expect(isCatchUpRun({ finishedAt: at(0).toISOString() }, at(10), INTERVAL)).toBe(false);
    expect(isCatchUpRun({}, at(0), INTERVAL)).toBe(false);
  });

  it('runs when a scan was asked for since the last one finished (a changed claim, a hand-over)', () => {
    expect(isCatchUpRun({ finishedAt: at(0).toISOString(), wantedAt: at(1).toISOString() }, at(2), INTERVAL)).toBe(false);
    // A request the last run already served asks for nothing more.
    expect(isCatchUpRun({ finishedAt: at(1).toISOString(), wantedAt: at(0).toISOString() }, at(2), INTERVAL)).toBe(true);
  });

  it('never skips a cron or manual schedule, which has no interval to measure by', () => {
    expect(isCatchUpRun({ finishedAt: at(0).toISOString() }, at(0), undefined)).toBe(false);
  });
});
