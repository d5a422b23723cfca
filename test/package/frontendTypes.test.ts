import type * as frontend from '../../frontend/src/api/types';
import type { DriftReport } from '../../src/report/driftReport';
import type * as operations from '../../src/gate/operationView';
import type * as backend from '../../src/report/entityClaims';

/**
 * The frontend plugin writes out the routes' answer types instead of
 * importing backend code. Each pair must be assignable both ways: a change on
 * either side fails to compile here (ts-jest type-checks), and so fails this test.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(proof: Same<A, B>) => proof;

describe('the frontend plugin speaks the drift plugin routes types', () => {
  it('has the entity view of GET /entity/:namespace/:kind/:name/claims', () => {
    expect([
      same<frontend.ClaimState, backend.ClaimState>(true),
      same<frontend.ClaimFinding, backend.ClaimFinding>(true),
      same<frontend.EntityClaim, backend.EntityClaim>(true),
      same<frontend.EntityTabMismatch, backend.EntityTabMismatch>(true),
      same<frontend.EntityClaimsView, backend.EntityClaimsView>(true),
      same<frontend.ServiceFinding, backend.ServiceFinding>(true),
      same<frontend.EcsServiceView, backend.EcsServiceView>(true),
      same<frontend.EntityEcsView, backend.EntityEcsView>(true),
    ]).toEqual(Array(8).fill(true));
  });

  it('has the report of GET /drift?format=json', () => {
    expect(same<frontend.DriftReport, DriftReport>(true)).toBe(true);
  });

  it('has the operations of GET /operations, GET /operations/capabilities and POST /operations', () => {
    expect([
      same<typeof frontend.OPERATION_ACTIONS, typeof operations.OPERATION_ACTIONS>(true),
      same<frontend.OperationAction, operations.OperationAction>(true),
      same<frontend.OperationStatus, operations.OperationStatus>(true),
      same<frontend.OperationEventKind, operations.OperationEventKind>(true),
      same<frontend.OperationEvent, operations.OperationEvent>(true),
      same<frontend.ServiceSnapshot, operations.ServiceSnapshot>(true),
      same<frontend.Operation, operations.Operation>(true),
      same<frontend.ActionCapability, operations.ActionCapability>(true),
      same<frontend.OperationCapabilities, operations.OperationCapabilities>(true),
    ]).toEqual(Array(9).fill(true));
  });
});
