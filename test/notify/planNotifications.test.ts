import { entityPagePath, findingNotices, noticeScope } from '../../src/notify/findingNotices';
import { type NotifiedFinding, type NotificationSend, planNotifications } from '../../src/notify/planNotifications';
import type { DriftReport } from '../../src/report/driftReport';
import { fixtureReport } from '../report/fixture';

/** What the provider remembers once every send of a plan went out. */
function afterSending(notified: NotifiedFinding[], sends: NotificationSend[]): NotifiedFinding[] {
  const byScope = new Map(notified.map(n => [n.scope, n]));
  for (const send of sends) {
    if (send.after) byScope.set(send.payload.scope, send.after);
    else byScope.delete(send.payload.scope);
  }
  return [...byScope.values()];
}

const summary = (sends: NotificationSend[]) => sends.map(s => `${s.reason} ${s.payload.scope}`);

describe('planNotifications', () => {
  const report = fixtureReport();
  const first = planNotifications([], report, 'prod');
  const told = afterSending([], first);

  it('tells each claiming entity of each finding once, and nothing of unclaimed services or unchecked claims', () => {
    expect(first.every(s => s.reason === 'new' && s.before === undefined && s.after !== undefined)).toBe(true);
    const kinds = new Set(first.map(s => s.payload.scope.split(':')[2]));
    expect([...kinds].sort()).toEqual(['duplicate', 'malformed', 'owner-drift', 'phantom', 'tab-mismatch']);
    expect(first.some(s => s.entityRef.includes('billing'))).toBe(false);
    // One per entity and finding: the two claimants of a duplicate each get theirs.
    const inventory = first.filter(s => s.payload.scope.startsWith('aws-ecs:prod:duplicate:') && s.payload.scope.endsWith('service/shop/inventory'));
    expect(inventory.map(s => s.entityRef).sort()).toEqual(['component:default/inventory', 'component:default/stock']);
    expect(new Set(first.map(s => s.payload.scope)).size).toBe(first.length);
    const legacy = first.find(s => s.payload.scope.startsWith('aws-ecs:prod:owner-drift:component:default/legacy:'))!;
    expect(legacy).toMatchObject({
      entityRef: 'component:default/legacy',
      payload: { title: 'ECS owner drift on component:default/legacy', link: '/catalog/default/component/legacy', topic: 'ECS claims', severity: 'normal' },
    });
    expect(legacy.payload.scope).toBe('aws-ecs:prod:owner-drift:component:default/legacy:arn:aws:ecs:eu-west-1:111111111111:service/shop/legacy');
  });

  it('says nothing that renders as markup, whatever the annotations and tags hold', () => {
    for (const { payload } of first) {
      for (const text of [payload.title, payload.description]) {
        expect(text).not.toMatch(/[<>&[\]\u0000-\u001f\u202e]/);
      }
      expect(payload.title.length).toBeLessThanOrEqual(255);
      expect(payload.scope.length).toBeLessThanOrEqual(255);
    }
    const broken = first.find(s => s.entityRef === 'component:default/broken')!;
    expect(broken.payload.description).toContain('‹script›');
  });

  it('repeats nothing on a later scan that finds the same', () => {
    expect(planNotifications(told, fixtureReport(), 'prod')).toEqual([]);
  });

  it('updates the notification of a finding that says something else now', () => {
    const changed: DriftReport = { ...report, ownerDrift: report.ownerDrift.map(d => (d.entityRef === 'component:default/legacy' ? { ...d, reason: 'the owner tag says team-c' } : d)) };
    const sends = planNotifications(told, changed, 'prod');
    expect(summary(sends)).toEqual(['changed aws-ecs:prod:owner-drift:component:default/legacy:arn:aws:ecs:eu-west-1:111111111111:service/shop/legacy']);
    expect(sends[0].before!.digest).not.toBe(sends[0].after!.digest);
    expect(sends[0].payload.description).toContain('the owner tag says team-c');
  });

  it('says "resolved" in the same scope when a finding goes away', () => {
    const fixed: DriftReport = { ...report, phantoms: report.phantoms.filter(p => p.entityRef !== 'component:default/payments') };
    const sends = planNotifications(told, fixed, 'prod');
    expect(summary(sends)).toEqual(['resolved aws-ecs:prod:phantom:component:default/payments:arn:aws:ecs:us-east-1:111111111111:service/edge/payments-v1']);
    expect(sends[0].after).toBeUndefined();
    expect(sends[0]).toMatchObject({ entityRef: 'component:default/payments', payload: { title: 'Resolved: Phantom ECS claim on component:default/payments', severity: 'low', link: '/catalog/default/component/payments' } });
    expect(planNotifications(afterSending(told, sends), fixed, 'prod')).toEqual([]);
  });

  it('holds a finding its scan could not read: neither resolved nor forgotten', () => {
    const payments = report.phantoms.find(p => p.entityRef === 'component:default/payments')!;
    // The region failed: the claim is not verified now, and the region has an alert.
    const unread: DriftReport = {
      ...report,
      phantoms: report.phantoms.filter(p => p !== payments),
      notVerified: [...report.notVerified, { entityRef: payments.entityRef, annotation: payments.annotation, value: payments.arn!, reason: 'could not be read', owner: payments.owner }],
      alerts: [...report.alerts, { accountId: '111111111111', region: 'us-east-1', error: 'throttled' }],
    };
    expect(planNotifications(told, unread, 'prod')).toEqual([]);
    // An alert alone holds the findings of services in that account and region.
    expect(planNotifications(told, { ...unread, notVerified: report.notVerified }, 'prod')).toEqual([]);
  });

  it('keeps scopes within the notifications backend\'s 255 characters, stable from scan to scan', () => {
    const name = 'n'.repeat(63);
    const arn = `arn:aws:ecs:eu-west-1:111111111111:service/${'c'.repeat(120)}/${'s'.repeat(120)}`;
    const scope = noticeScope('prod', 'phantom', `component:${'x'.repeat(63)}/${name}`, arn);
    expect(scope.length).toBeLessThanOrEqual(255);
    expect(scope).toMatch(/^aws-ecs:prod:phantom:[A-Za-z0-9_-]{22}$/);
    expect(noticeScope('prod', 'phantom', `component:${'x'.repeat(63)}/${name}`, arn)).toBe(scope);
    expect(noticeScope('prod', 'duplicate', `component:${'x'.repeat(63)}/${name}`, arn)).not.toBe(scope);
  });

  it('links to the entity page, namespace and kind as the app routes them', () => {
    expect(entityPagePath('API:Payments/Checkout-API')).toBe('/catalog/Payments/api/Checkout-API');
    expect(findingNotices(report, 'prod').every(n => n.link.startsWith('/catalog/default/component/'))).toBe(true);
  });
});
