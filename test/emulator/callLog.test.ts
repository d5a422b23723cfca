import { CallLog, type CallOutcome } from '../../dev/emulator/services/callLog';

function call(action: string, n: number, extra: Partial<CallOutcome> = {}): CallOutcome {
  return { service: 'ecs', action, requestId: `req-${n}`, input: { n }, at: Date.UTC(2026, 0, 1, 0, 0, n), ...extra };
}

describe('the call log', () => {
  it('keeps the newest records, oldest first, within its capacity', () => {
    const log = new CallLog(3);
    for (let i = 1; i <= 5; i++) log.record(call(i % 2 === 0 ? 'UpdateService' : 'DescribeServices', i));
    expect(log.size).toBe(3);
    expect(log.records().map(r => r.requestID)).toEqual(['req-3', 'req-4', 'req-5']);
    expect(log.records({ eventName: 'UpdateService' }).map(r => r.requestID)).toEqual(['req-4']);
    expect(log.records({ eventSource: 'sts.amazonaws.com' })).toEqual([]);
    log.clear();
    expect(log.records()).toEqual([]);
    log.record(call('ListClusters', 9));
    expect(log.records().map(r => r.eventName)).toEqual(['ListClusters']);
  });

  it('records errors, read-only calls and unknown callers as CloudTrail does', () => {
    const log = new CallLog();
    const rec = log.record(call('DescribeServices', 7, { region: 'eu-west-1', accessKeyId: 'AKIAUNKNOWN', error: { code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' } }));
    expect(rec).toMatchObject({
      eventTime: '2026-01-01T00:00:07Z',
      eventSource: 'ecs.amazonaws.com',
      awsRegion: 'eu-west-1',
      readOnly: true,
      errorCode: 'UnrecognizedClientException',
      userIdentity: { type: 'Unknown', accessKeyId: 'AKIAUNKNOWN' },
      requestParameters: { n: 7 },
      responseElements: null,
    });
    expect(rec.recipientAccountId).toBeUndefined();
    expect(log.record(call('UpdateService', 8)).readOnly).toBe(false);
  });

  it('keeps web identity tokens and external ids out of STS parameters', () => {
    const log = new CallLog();
    const rec = log.record({ ...call('AssumeRoleWithWebIdentity', 1), service: 'sts', input: { Action: 'AssumeRoleWithWebIdentity', RoleArn: 'arn:aws:iam::111111111111:role/r', RoleSessionName: 's1', WebIdentityToken: 'token-abc', ExternalId: 'ext' } });
    expect(rec.requestParameters).toEqual({ roleArn: 'arn:aws:iam::111111111111:role/r', roleSessionName: 's1' });
    expect(JSON.stringify(rec)).not.toMatch(/token-abc|"ext"/);
  });
});
