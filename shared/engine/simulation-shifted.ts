/**
 * Cache of shiftedProbabilities (sequence-rules.ts) by the set of arms "behind". For biased-coin
 * and minimization the probabilities depend only on that set (ratios and p are fixed per run),
 * so the simulation computes each set's vector once — with the very same function, hence the
 * same bits — instead of once per patient (which also allocated a closure per patient).
 */
import { isForced, shiftedProbabilities } from './sequence-rules.js';

/** Sets are keyed by a bit mask; above this many arms the table would be too large to be worth it. */
const MAX_CACHED_ARMS = 8;

export class ShiftedTable {
  private readonly byKey: Array<Float64Array | undefined> = [];
  private readonly forcedByKey: Uint8Array;
  private readonly scratch: Float64Array;
  /** Whether the last `lookup` gave a deterministic allocation (one arm with probability 1). */
  forced = false;

  constructor(
    private readonly ratios: readonly number[],
    private readonly p: number,
  ) {
    this.scratch = new Float64Array(ratios.length);
    this.forcedByKey = new Uint8Array(ratios.length <= MAX_CACHED_ARMS ? 1 << ratios.length : 0);
  }

  /** The probabilities for behind set `guess` (1 = behind); the returned array must not be written to. */
  lookup(guess: Uint8Array): Float64Array {
    const K = guess.length;
    if (K > MAX_CACHED_ARMS) return this.direct(guess);
    let key = 0;
    for (let k = 0; k < K; k++) key |= guess[k] << k;
    const probs = this.byKey[key] ?? this.compute(key);
    this.forced = this.forcedByKey[key] === 1;
    return probs;
  }

  private direct(guess: Uint8Array): Float64Array {
    shiftedProbabilities(this.ratios, (k) => guess[k] === 1, this.p, this.scratch);
    this.forced = isForced(this.scratch);
    return this.scratch;
  }

  /** Kept out of `lookup`: a closure there would make V8 allocate a context on every call. */
  private compute(key: number): Float64Array {
    const probs = new Float64Array(this.ratios.length);
    shiftedProbabilities(this.ratios, (k) => ((key >> k) & 1) === 1, this.p, probs);
    this.byKey[key] = probs;
    this.forcedByKey[key] = isForced(probs) ? 1 : 0;
    return probs;
  }
}
