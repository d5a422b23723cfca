import { faultCases } from './cases';
import { faultMatrix } from './matrix';

/**
 * The fault matrix: for each way AWS can misbehave, in a real catalog with the
 * provider under test (grace period PT0S and maxFraction 1, so a wrong removal
 * would show at once), the scan under the fault must
 *  - finish what it can read, listing exactly the scopes it could not as failed shards;
 *  - leave every entity of an unread scope in the catalog, exactly as it was;
 *  - call no claim into an unread scope a phantom (it is "not verified"), nor
 *    the tag selector claim while any scope is unread;
 *  - name the unread scopes, account and region, in the report's alerts;
 * and once the fault is cleared the next scan must converge: an entity for
 * every live service and none for the removed ones, no failed shard, a
 * complete report. The rows are in ./cases.ts, the harness in ./matrix.ts, the
 * fleet and the claims in ./world.ts.
 */

faultMatrix('the fault matrix: the scan on a misbehaving AWS, in a real catalog', faultCases());
