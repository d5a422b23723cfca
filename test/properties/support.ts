import fc from 'fast-check';

/**
 * Shared set-up of the property tests: one seed per run, from `FC_SEED` or a
 * fixed default so CI is reproducible, and a failure message that says how to
 * replay the counterexample.
 *
 *   FC_SEED=123 npx jest test/properties      replay a reported seed
 *   FC_SEED=random npx jest test/properties   explore with a fresh seed (printed on failure)
 *   FC_RUNS=5000 npx jest test/properties     soak: more runs per property
 */

export const DEFAULT_SEED = 20250314;
/** Runs per property unless `FC_RUNS` says otherwise. */
export const DEFAULT_RUNS = 300;

function readSeed(): number {
  const raw = process.env.FC_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  if (raw === 'random') return (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", not ${JSON.stringify(raw)}`);
  return seed;
}

function readRuns(): number {
  const raw = process.env.FC_RUNS;
  if (raw === undefined || raw === '') return DEFAULT_RUNS;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FC_RUNS must be a positive integer, not ${JSON.stringify(raw)}`);
  return runs;
}

export const SEED = readSeed();
export const RUNS = readRuns();

fc.configureGlobal({ seed: SEED, numRuns: RUNS });

/**
 * `fc.assert` with the seed in the error message (fast-check also prints the
 * seed and the shrink path of the counterexample, which `FC_SEED` plus
 * `{ path }` replays exactly).
 */
export async function check<Ts>(property: fc.IAsyncProperty<Ts>, params: fc.Parameters<Ts> = {}): Promise<void> {
  try {
    await fc.assert(property, params);
  } catch (error) {
    const message = `Property failed with FC_SEED=${SEED} (runs ${params.numRuns ?? RUNS}); rerun with FC_SEED=${SEED} to replay.\n${(error as Error).message}`;
    throw Object.assign(new Error(message), { cause: error });
  }
}
