/** Call counters, so tests and benchmarks can see what a scanner really sent. */
export interface EmulatorStats {
  /** Every request that reached a handler or was refused (auth, faults). */
  totalCalls: number;
  /** By `service:Action`, e.g. `ecs:ListServices`, `sts:AssumeRole`. */
  byAction: Record<string, number>;
  /** By `accountId/region` of the (authenticated) caller. */
  byScope: Record<string, number>;
  /** By `accountId/region`, then by `service:Action`. */
  byScopeAction: Record<string, Record<string, number>>;
  /** Error responses by error code (client and server). */
  errors: Record<string, number>;
  /** Throttling responses (rate limit and throttleRate). */
  throttled: number;
  /** 5xx responses. */
  serverErrors: number;
  /** AssumeRole + AssumeRoleWithWebIdentity calls by target account (from the RoleArn). */
  assumeRole: Record<string, number>;
  /**
   * The deploy pipeline's DescribeServices calls (deployPipeline.ts): they
   * never reach the server, so they are counted here and nowhere above.
   */
  deployPipeline: { calls: number; throttled: number; byScope: Record<string, { calls: number; throttled: number }> };
}

function inc(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

export class StatsCollector {
  private s = StatsCollector.empty();

  private static empty(): EmulatorStats {
    return {
      totalCalls: 0,
      byAction: {},
      byScope: {},
      byScopeAction: {},
      errors: {},
      throttled: 0,
      serverErrors: 0,
      assumeRole: {},
      deployPipeline: { calls: 0, throttled: 0, byScope: {} },
    };
  }

  call(service: string, action: string, accountId: string | undefined, region: string | undefined): void {
    const s = this.s;
    s.totalCalls++;
    const act = `${service}:${action}`;
    inc(s.byAction, act);
    if (accountId !== undefined && region !== undefined) {
      const scope = `${accountId}/${region}`;
      inc(s.byScope, scope);
      inc((s.byScopeAction[scope] ??= {}), act);
    }
  }

  error(code: string, status: number, throttling: boolean): void {
    inc(this.s.errors, code);
    if (status >= 500) this.s.serverErrors++;
    if (throttling) this.s.throttled++;
  }

  /** One call of the deploy pipeline in `scope` (accountId/region); `served` false: it was throttled. */
  foreignCall(scope: string, served: boolean): void {
    const p = this.s.deployPipeline;
    const inScope = (p.byScope[scope] ??= { calls: 0, throttled: 0 });
    p.calls++;
    inScope.calls++;
    if (!served) {
      p.throttled++;
      inScope.throttled++;
    }
  }

  assumeRole(targetAccountId: string): void {
    inc(this.s.assumeRole, targetAccountId);
  }

  /** A deep copy: callers may keep it while the emulator carries on counting. */
  snapshot(): EmulatorStats {
    return structuredClone(this.s);
  }

  reset(): void {
    this.s = StatsCollector.empty();
  }
}
