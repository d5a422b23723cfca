import { mockServices } from '@backstage/backend-test-utils';
import { ClaimRescan } from '../../src/provider/claimRescan';

describe('ClaimRescan', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  const setup = (trigger = jest.fn(async () => {})) => ({ trigger, rescan: new ClaimRescan(trigger, mockServices.logger.mock(), { delayMs: 5_000, minIntervalMs: 60_000 }) });

  it('starts one scan for a burst of changed claims, once the burst is quiet', async () => {
    const { trigger, rescan } = setup();
    rescan.notice('component:default/a');
    await jest.advanceTimersByTimeAsync(3_000);
    rescan.notice('component:default/b');
    rescan.notice('component:default/a');
    await jest.advanceTimersByTimeAsync(4_999);
    expect(trigger).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(trigger).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(trigger).toHaveBeenCalledTimes(1);
  });

  it('keeps scans started this way at least the minimum interval apart', async () => {
    const { trigger, rescan } = setup();
    rescan.notice('component:default/a');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(trigger).toHaveBeenCalledTimes(1);
    rescan.notice('component:default/a');
    // A minute after the first scan started, not five seconds after the notice.
    await jest.advanceTimersByTimeAsync(59_999);
    expect(trigger).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(trigger).toHaveBeenCalledTimes(2);
  });

  it('notices the same claim again after a scan, since it may still differ', async () => {
    const { trigger, rescan } = setup();
    rescan.notice('component:default/a');
    await jest.advanceTimersByTimeAsync(5_000);
    rescan.notice('component:default/a');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(trigger).toHaveBeenCalledTimes(2);
  });

  it('survives a scheduler that refuses the trigger', async () => {
    const { trigger, rescan } = setup(jest.fn(async () => Promise.reject(new Error('task is already running'))));
    rescan.notice('component:default/a');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(trigger).toHaveBeenCalledTimes(1);
    rescan.notice('component:default/b');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(trigger).toHaveBeenCalledTimes(2);
  });

  it('stops scanning for a claim that three scans did not settle', async () => {
    const logger = mockServices.logger.mock();
    const trigger = jest.fn(async () => {});
    const rescan = new ClaimRescan(trigger, logger, { delayMs: 5_000, minIntervalMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      rescan.notice('group:default/odd');
      await jest.advanceTimersByTimeAsync(60_000);
    }
    expect(trigger).toHaveBeenCalledTimes(3);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('group:default/odd has started 3 ECS syncs'));
    // Other claims still start scans.
    rescan.notice('component:default/a');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(trigger).toHaveBeenCalledTimes(4);
  });

  it('gives a claim a fresh allowance once a report has seen it, so a later edit is synced quickly again', async () => {
    const { trigger, rescan } = setup();
    for (let i = 0; i < 3; i++) {
      rescan.notice('component:default/a');
      await jest.advanceTimersByTimeAsync(60_000);
    }
    expect(trigger).toHaveBeenCalledTimes(3);
    rescan.settled('component:default/a');
    // Weeks later the owner edits the claim again.
    rescan.notice('component:default/a');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(trigger).toHaveBeenCalledTimes(4);
  });
});
