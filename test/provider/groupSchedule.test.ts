import { groupSchedule } from '../../src/provider/groupSchedule';

describe('the schedule of a scan group', () => {
  const schedule = { frequency: { minutes: 20 }, timeout: { minutes: 15 }, initialDelay: { seconds: 15 } };

  it('staggers the groups across the interval, so they fall due one at a time', () => {
    expect(groupSchedule(schedule, 0, 4)).toEqual(schedule);
    expect(groupSchedule(schedule, 1, 4).initialDelay).toEqual({ milliseconds: 15_000 + 5 * 60_000 });
    expect(groupSchedule(schedule, 3, 4).initialDelay).toEqual({ milliseconds: 15_000 + 15 * 60_000 });
  });

  it('keeps a run within one interval, so a hung scan holds its group no longer', () => {
    expect(groupSchedule({ ...schedule, timeout: { hours: 1 } }, 2, 4).timeout).toEqual({ milliseconds: 20 * 60_000 });
    expect(groupSchedule({ frequency: { seconds: 20 }, timeout: 'PT60S' } as never, 0, 1).timeout).toEqual({ milliseconds: 20_000 });
  });

  it('leaves a cron schedule as it is', () => {
    const cron = { frequency: { cron: '0 * * * *' }, timeout: { hours: 2 } };
    expect(groupSchedule(cron, 2, 3)).toBe(cron);
  });
});
