import { asList, type PolicyDocument } from './policyDocument';

/**
 * IAM's wildcards: `*` any run of characters, `?` any one. Actions compare
 * without case, resource ARNs with case, as IAM does.
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  // Iterative glob with backtracking to the last `*`: linear in practice, no regex built from input.
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

interface Patterns {
  /** `Action`/`Resource` (true) or `NotAction`/`NotResource` (false). */
  positive: boolean;
  exact: Set<string>;
  wildcards: string[];
}

interface CompiledStatement {
  deny: boolean;
  actions: Patterns;
  resources: Patterns;
}

function patterns(positive: string | string[] | undefined, negative: string | string[] | undefined, ignoreCase: boolean): Patterns {
  const list = asList(positive ?? negative).map(p => (ignoreCase ? p.toLowerCase() : p));
  return {
    positive: positive !== undefined,
    exact: new Set(list.filter(p => !/[*?]/.test(p))),
    wildcards: list.filter(p => /[*?]/.test(p)),
  };
}

function matches(p: Patterns, value: string): boolean {
  const hit = p.exact.has(value) || p.wildcards.some(w => wildcardMatch(w, value));
  return p.positive ? hit : !hit;
}

/** For one action: the exact resources each effect names, and the statements that need matching. */
interface ActionRules {
  allowExact: Set<string>;
  denyExact: Set<string>;
  /** Statements with wildcard resources or NotResource. */
  others: CompiledStatement[];
}

/**
 * Whether the documents together allow an action on a resource: an Allow
 * applies and no Deny does. Conditions are not evaluated: a conditional
 * statement counts as applying, since the check cannot know the request.
 * Compiled once, and per action the exact resources of every statement are
 * merged into one set, so a whole fleet is checked against hundreds of
 * documents in a few set lookups per service.
 */
export function compilePolicies(documents: readonly PolicyDocument[]): (action: string, resource: string) => boolean {
  const statements: CompiledStatement[] = documents.flatMap(d =>
    d.Statement.filter(s => (s.Action ?? s.NotAction) !== undefined && (s.Resource ?? s.NotResource) !== undefined).map(s => ({
      deny: s.Effect === 'Deny',
      actions: patterns(s.Action, s.NotAction, true),
      resources: patterns(s.Resource, s.NotResource, false),
    })),
  );
  const byAction = new Map<string, ActionRules>();
  const rulesFor = (act: string): ActionRules => {
    let rules = byAction.get(act);
    if (rules) return rules;
    rules = { allowExact: new Set(), denyExact: new Set(), others: [] };
    for (const s of statements) {
      if (!matches(s.actions, act)) continue;
      if (s.resources.positive) {
        const exact = s.deny ? rules.denyExact : rules.allowExact;
        for (const r of s.resources.exact) exact.add(r);
        // Its exact resources match again there, to the same effect: already decided above.
        if (s.resources.wildcards.length > 0) rules.others.push(s);
      } else {
        rules.others.push(s);
      }
    }
    byAction.set(act, rules);
    return rules;
  };
  return (action, resource) => {
    const rules = rulesFor(action.toLowerCase());
    if (rules.denyExact.has(resource)) return false;
    let allowed = rules.allowExact.has(resource);
    for (const s of rules.others) {
      if (!matches(s.resources, resource)) continue;
      if (s.deny) return false;
      allowed = true;
    }
    return allowed;
  };
}
