import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Operation, OperationRequest } from '../api/types';
import { ARN_KEY, capabilities, component, fakeApi, HOSTILE_IMG, HOSTILE_SCRIPT, operation, renderOnEntityPage, responseError, SERVICE_ARN } from '../testing/fixtures';
import { EcsOperationsCard } from './EcsOperationsCard';

const cart = component('cart', { [ARN_KEY]: SERVICE_ARN });
const CART_REF = 'component:default/cart';

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;
const type = (name: string, value: string) => fireEvent.change(within(screen.getByRole('dialog')).getByRole(name === 'Desired count' ? 'spinbutton' : 'textbox', { name }), { target: { value } });
const click = (element: HTMLElement) => act(async () => void fireEvent.click(element));

/** The operations the backend holds: a request adds one, approval and rejection change it. */
function backend(initial: Operation[], over: Partial<Parameters<typeof fakeApi>[0]['operations']> = {}) {
  let operations = [...initial];
  const api = fakeApi({
    operations: {
      capabilities: capabilities(),
      list: () => operations,
      request: (request: OperationRequest) => {
        const created = operation({ id: `op-${operations.length + 1}`, action: request.action, reason: request.reason, requestedBy: 'user:default/alice', desiredCount: request.desiredCount ?? null, taskDefinition: request.taskDefinition ?? null, status: 'pending' });
        operations = [created, ...operations];
        return created;
      },
      approve: id => {
        operations = operations.map(o => (o.id === id ? { ...o, status: 'succeeded', approvedBy: ['user:default/alice'], after: { desiredCount: 2, taskDefinition: 'cart:6', deploymentId: 'ecs-svc/2222' }, awsRequestId: 'req-approve-1' } : o));
        return operations.find(o => o.id === id)!;
      },
      reject: (id, comment) => {
        operations = operations.map(o => (o.id === id ? { ...o, status: 'rejected', error: comment } : o));
        return operations.find(o => o.id === id)!;
      },
      ...over,
    },
  });
  return api;
}

describe('the ECS operations card', () => {
  it('renders nothing for an entity without a single ECS service', async () => {
    const api = fakeApi({});
    const { container } = await renderOnEntityPage(<EcsOperationsCard />, cart, api);
    await waitFor(() => expect(api.calls).toEqual([`capabilities ${CART_REF}`]));
    await waitFor(() => expect(container.textContent).toBe(''));
  });

  it('renders nothing when operations are off', async () => {
    const api = fakeApi({ operations: { capabilities: capabilities({ enabled: false, reason: 'operations are off for provider production' }), list: () => [] } });
    const { container } = await renderOnEntityPage(<EcsOperationsCard />, cart, api);
    await waitFor(() => expect(api.calls).toEqual([`capabilities ${CART_REF}`]));
    await waitFor(() => expect(container.textContent).toBe(''));
  });

  it('shows the error the backend answered', async () => {
    const api = fakeApi({ operations: { capabilities: await responseError(500, 'Error', 'the operations store is unreachable') } });
    await renderOnEntityPage(<EcsOperationsCard />, cart, api);
    expect(await screen.findByText(/the operations store is unreachable/)).toBeTruthy();
  });

  it('disables an action the user may not take, with the reason as its tooltip', async () => {
    const caps = capabilities({
      actions: [
        { action: 'restart', allowed: true, reason: null, approvalsRequired: 0 },
        { action: 'scale', allowed: false, reason: 'only group:default/team-a may scale this service', approvalsRequired: 1 },
        { action: 'deploy', allowed: true, reason: null, approvalsRequired: 1 },
      ],
      taskDefinitionFamily: null,
    });
    await renderOnEntityPage(<EcsOperationsCard />, cart, fakeApi({ operations: { capabilities: caps, list: () => [] } }));
    await screen.findByText('ECS operations');
    expect([button('Restart').disabled, button('Scale').disabled, button('Deploy').disabled]).toEqual([false, true, true]);
    fireEvent.mouseOver(button('Scale').parentElement!);
    expect((await screen.findByRole('tooltip')).textContent).toBe('only group:default/team-a may scale this service');
    expect(button('Deploy').parentElement!.getAttribute('title')).toBe('The service names no task definition family to deploy a revision of.');
  });

  it('checks the scale form before it posts the request', async () => {
    const api = backend([]);
    await renderOnEntityPage(<EcsOperationsCard />, cart, api);
    await click(await screen.findByRole('button', { name: 'Scale' }));
    const dialog = screen.getByRole('dialog', { name: 'Scale the ECS service' });
    expect(within(dialog).getByText('This request needs one approval from another owner before it runs.')).toBeTruthy();
    await click(within(dialog).getByRole('button', { name: 'Request' }));
    expect(within(dialog).getByText(/Say why/)).toBeTruthy();
    expect(within(dialog).getByText('A whole number from 1 to 10.')).toBeTruthy();
    type('Desired count', '11');
    type('Reason', '   ');
    await click(within(dialog).getByRole('button', { name: 'Request' }));
    expect(within(dialog).getByText('A whole number from 1 to 10.')).toBeTruthy();
    expect(within(dialog).getByText(/Say why/)).toBeTruthy();
    expect(api.calls.filter(c => c.startsWith('request'))).toEqual([]);

    type('Desired count', '3');
    type('Reason', ' Black Friday ');
    await click(within(dialog).getByRole('button', { name: 'Request' }));
    expect(api.calls.filter(c => c.startsWith('request'))).toEqual([`request ${JSON.stringify({ entityRef: CART_REF, action: 'scale', reason: 'Black Friday', desiredCount: 3 })}`]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await screen.findByRole('status')).textContent).toBe('Your scale request waits for one approval.');
    const rows = within(await screen.findByRole('table', { name: 'ECS operations history' })).getAllByRole('row');
    expect(within(rows[1]).getByText('desired count 2 → 3')).toBeTruthy();
    expect(within(rows[1]).getByText('Pending')).toBeTruthy();
  });

  it('deploys a revision of the service’s own family', async () => {
    const api = backend([]);
    await renderOnEntityPage(<EcsOperationsCard />, cart, api);
    await click(await screen.findByRole('button', { name: 'Deploy' }));
    const dialog = screen.getByRole('dialog', { name: 'Deploy the ECS service' });
    type('Reason', 'roll out the fix');
    type('Revision', 'other:7');
    await click(within(dialog).getByRole('button', { name: 'Request' }));
    expect(within(dialog).getByText('A revision number of cart, such as 42.')).toBeTruthy();
    type('Revision', 'cart:7');
    await click(within(dialog).getByRole('button', { name: 'Request' }));
    expect(api.calls.filter(c => c.startsWith('request'))).toEqual([`request ${JSON.stringify({ entityRef: CART_REF, action: 'deploy', reason: 'roll out the fix', taskDefinition: 'cart:7' })}`]);
  });

  it('shows the server’s message when it refuses the request', async () => {
    const refusal = await responseError(400, 'InputError', 'desiredCount must not exceed the account quota of 8');
    const api = backend([], { request: () => { throw refusal; } });
    await renderOnEntityPage(<EcsOperationsCard />, cart, api);
    await click(await screen.findByRole('button', { name: 'Restart' }));
    const dialog = screen.getByRole('dialog', { name: 'Restart the ECS service' });
    expect(within(dialog).getByText('This request needs no approval: it runs as soon as you send it.')).toBeTruthy();
    type('Reason', 'stuck tasks');
    await click(within(dialog).getByRole('button', { name: 'Request' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('desiredCount must not exceed the account quota of 8');
  });

  it('hides Approve and Reject from the requester', async () => {
    const pending = operation({ requestedBy: 'user:default/bob' });
    await renderOnEntityPage(<EcsOperationsCard />, cart, backend([pending]), { userEntityRef: 'user:default/bob' });
    const own = await screen.findByRole('group', { name: 'Restart requested by user:default/bob' });
    expect(within(own).getByText('Your request: another owner must approve it.')).toBeTruthy();
    expect(within(own).queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(within(own).queryByRole('button', { name: 'Reject' })).toBeNull();
  });

  it('shows no second Approve to an owner who approved already', async () => {
    const api = backend([operation({ approvalsRequired: 2, approvedBy: ['user:default/alice'] })]);
    await renderOnEntityPage(<EcsOperationsCard />, cart, api, { userEntityRef: 'user:default/alice' });
    const group = await screen.findByRole('group', { name: 'Restart requested by user:default/bob' });
    expect(within(group).queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(within(group).getByText('You approved it; it waits for more approvals.')).toBeTruthy();
    expect(within(group).getByText(/Approvals: 1 of 2 \(user:default\/alice\)/)).toBeTruthy();
  });

  it('shows no Approve to a user who may not approve', async () => {
    const api = backend([operation()], { capabilities: capabilities({ canApprove: false }) });
    await renderOnEntityPage(<EcsOperationsCard />, cart, api, { userEntityRef: 'user:default/carol' });
    const group = await screen.findByRole('group', { name: 'Restart requested by user:default/bob' });
    expect(within(group).queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(within(group).getByText('Waits for an owner of the service to approve it.')).toBeTruthy();
  });

  it('approves as another owner, then shows the new deployment in the history', async () => {
    const api = backend([operation()]);
    await renderOnEntityPage(<EcsOperationsCard />, cart, api, { userEntityRef: 'user:default/alice' });
    const group = await screen.findByRole('group', { name: 'Restart requested by user:default/bob' });
    expect(within(group).getByText('Reason: memory leak')).toBeTruthy();
    expect(within(group).getByText(/expires 2026-12-01 11:00:00 UTC/)).toBeTruthy();
    expect(within(group).getByText(/Approvals: 0 of 1/)).toBeTruthy();
    await click(within(group).getByRole('button', { name: 'Approve' }));
    expect(api.calls).toContain('approve op-1 {}');
    await waitFor(() => expect(screen.queryByRole('group', { name: 'Restart requested by user:default/bob' })).toBeNull());
    const rows = within(screen.getByRole('table', { name: 'ECS operations history' })).getAllByRole('row');
    expect(within(rows[1]).getByText('ecs-svc/2222')).toBeTruthy();
    expect(within(rows[1]).getByText('req-approve-1')).toBeTruthy();
    expect(within(rows[1]).getByText('Succeeded')).toBeTruthy();
  });

  it('shows why the server refused an approval', async () => {
    const conflict = await responseError(409, 'ConflictError', 'operation op-1 is not pending: it expired');
    await renderOnEntityPage(<EcsOperationsCard />, cart, backend([operation()], { approve: () => { throw conflict; } }));
    const group = await screen.findByRole('group', { name: 'Restart requested by user:default/bob' });
    await click(within(group).getByRole('button', { name: 'Approve' }));
    expect((await within(group).findByRole('alert')).textContent).toBe('operation op-1 is not pending: it expired');
  });

  it('asks a comment to reject', async () => {
    const api = backend([operation()]);
    await renderOnEntityPage(<EcsOperationsCard />, cart, api);
    await click(within(await screen.findByRole('group', { name: 'Restart requested by user:default/bob' })).getByRole('button', { name: 'Reject' }));
    const dialog = screen.getByRole('dialog');
    await click(within(dialog).getByRole('button', { name: 'Reject request' }));
    expect(within(dialog).getByText('Say why: the requester reads it.')).toBeTruthy();
    expect(api.calls.filter(c => c.startsWith('reject'))).toEqual([]);
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Comment' }), { target: { value: 'not during the sale' } });
    await click(within(dialog).getByRole('button', { name: 'Reject request' }));
    expect(api.calls.filter(c => c.startsWith('reject'))).toEqual([`reject op-1 ${JSON.stringify({ comment: 'not during the sale' })}`]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByText('Rejected')).toBeTruthy();
  });

  it('lists the history with deployment, AWS request id and error, each opening onto its trail', async () => {
    const done = operation({
      id: 'op-2',
      action: 'scale',
      desiredCount: 4,
      status: 'succeeded',
      approvedBy: ['user:default/alice'],
      after: { desiredCount: 4, taskDefinition: 'cart:6', deploymentId: 'ecs-svc/3333' },
      awsRequestId: 'req-scale-1',
      events: [
        { kind: 'requested', actor: 'user:default/bob', at: '2026-12-01T10:00:00.000Z', message: 'memory leak', awsRequestId: null },
        { kind: 'approved', actor: 'user:default/alice', at: '2026-12-01T10:05:00.000Z', message: 'ok for me', awsRequestId: null },
        { kind: 'succeeded', actor: null, at: '2026-12-01T10:05:02.000Z', message: null, awsRequestId: 'req-scale-1' },
      ],
    });
    const failed = operation({ id: 'op-1', action: 'deploy', taskDefinition: 'cart:9', status: 'failed', error: 'AccessDeniedException: not authorized to perform ecs:UpdateService', requestedAt: '2026-11-30T09:00:00.000Z' });
    await renderOnEntityPage(<EcsOperationsCard />, cart, backend([done, failed]));
    const table = await screen.findByRole('table', { name: 'ECS operations history' });
    const rows = within(table).getAllByRole('row');
    expect(within(rows[1]).getByText('desired count 2 → 4')).toBeTruthy();
    expect(within(rows[1]).getByText('ecs-svc/3333')).toBeTruthy();
    expect(within(rows[1]).getByText('req-scale-1')).toBeTruthy();
    expect(within(rows[2]).getByText('cart:6 → cart:9')).toBeTruthy();
    expect(within(rows[2]).getByText('Failed')).toBeTruthy();
    expect(within(rows[2]).getByText(/not authorized to perform ecs:UpdateService/)).toBeTruthy();
    expect(screen.queryByRole('table', { name: /^Trail of/ })).toBeNull();

    const toggle = within(rows[1]).getByRole('button', { name: 'Trail of the Scale of 2026-12-01 10:00:00 UTC' });
    await click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const trail = within(screen.getByRole('table', { name: 'Trail of the Scale of 2026-12-01 10:00:00 UTC' })).getAllByRole('row');
    expect(trail.slice(1).map(row => within(row).getAllByRole('cell').map(cell => cell.textContent))).toEqual([
      ['2026-12-01 10:00:00 UTC', 'Requested', 'bob', 'memory leak', ''],
      ['2026-12-01 10:05:00 UTC', 'Approved', 'alice', 'ok for me', ''],
      ['2026-12-01 10:05:02 UTC', 'Succeeded', 'the backend', '', 'req-scale-1'],
    ]);
  });

  it('asks again while an operation is running, until it is done', async () => {
    let current = operation({ status: 'running', approvalsRequired: 0 });
    const api = backend([], { list: () => [current] });
    await renderOnEntityPage(<EcsOperationsCard pollInterval={20} />, cart, api);
    expect(await screen.findByText('Running')).toBeTruthy();
    current = { ...current, status: 'succeeded', after: { desiredCount: 2, taskDefinition: 'cart:6', deploymentId: 'ecs-svc/4444' } };
    expect(await screen.findByText('ecs-svc/4444')).toBeTruthy();
    const lists = api.calls.filter(c => c.startsWith('list')).length;
    await act(() => new Promise(resolve => setTimeout(resolve, 100)));
    expect(api.calls.filter(c => c.startsWith('list')).length).toBe(lists);
  });

  it('shows requests and reasons as text, never as markup', async () => {
    const hostile = operation({ reason: HOSTILE_IMG, error: HOSTILE_SCRIPT, status: 'pending' });
    const { container } = await renderOnEntityPage(<EcsOperationsCard />, cart, backend([hostile]));
    expect(await screen.findByText(`Reason: ${HOSTILE_IMG}`)).toBeTruthy();
    expect(screen.getByText(HOSTILE_SCRIPT)).toBeTruthy();
    expect(container.querySelector('img, script')).toBeNull();
  });
});
