/**
 * Path counts for the maximal procedure (Berger, Ivanova & Knoll): the number of ways to finish
 * a sequence of length N from (i, D) with |D| ≤ b throughout and D_N = 0. Rows are rescaled as
 * they are built, so long sequences do not overflow doubles; only ratios are ever needed.
 */
export interface MaximalTable {
  /** P(next → A | position i, imbalance D) = paths(i+1, D+1) / paths(i, D). */
  probabilityA(position: number, d: number): number;
}

const cache = new Map<string, MaximalTable>();

export function maximalTable(n: number, b: number): MaximalTable {
  const key = `${n}/${b}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const width = 2 * b + 1;
  const rows: Float64Array[] = new Array(n + 1);
  const scale = new Float64Array(n + 1); // rows[i] * (product of scales) = true counts; scale[i] = max of raw row i
  rows[n] = new Float64Array(width);
  rows[n][b] = 1;
  scale[n] = 1;
  for (let i = n - 1; i >= 0; i--) {
    const next = rows[i + 1];
    const raw = new Float64Array(width);
    let max = 0;
    for (let j = 0; j < width; j++) {
      raw[j] = (j + 1 < width ? next[j + 1] : 0) + (j - 1 >= 0 ? next[j - 1] : 0);
      if (raw[j] > max) max = raw[j];
    }
    for (let j = 0; j < width; j++) raw[j] /= max;
    rows[i] = raw;
    scale[i] = max;
  }
  const table: MaximalTable = {
    probabilityA(position, d) {
      const here = rows[position][d + b] * scale[position];
      const up = d + 1 <= b ? rows[position + 1][d + 1 + b] : 0;
      return here > 0 ? up / here : 0.5;
    },
  };
  cache.set(key, table);
  return table;
}
