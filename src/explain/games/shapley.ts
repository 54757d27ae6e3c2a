/**
 * Exact game-theoretic indices from a full coalition table (bitmask index, bit i = player i), each in
 * O(n 2^n) time, so 14 players cost ~2·10^5 operations.
 */
import { popcount } from "./game.ts";

/** Shapley values from marginal contributions: phi_i = sum_{S not containing i} |S|!(n-|S|-1)!/n! (v(S+i) - v(S)). */
export function shapleyValues(values: Float64Array, n: number): Float64Array {
  checkTable(values, n);
  // w[s] = s!(n-s-1)!/n! = 1 / (n * C(n-1, s))
  const w = new Float64Array(n);
  for (let s = 0; s < n; s++) w[s] = 1 / (n * binomial(n - 1, s));
  const size = values.length;
  const phi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const bit = 1 << i;
    let acc = 0;
    for (let S = 0; S < size; S++) {
      if (S & bit) continue;
      acc += w[popcount(S)] * (values[S | bit] - values[S]);
    }
    phi[i] = acc;
  }
  return phi;
}

/** Moebius coefficients (Harsanyi dividends): m(T) = sum_{S subset of T} (-1)^{|T|-|S|} v(S), via the fast subset transform. */
export function moebiusTransform(values: Float64Array, n: number): Float64Array {
  checkTable(values, n);
  const m = Float64Array.from(values);
  for (let i = 0; i < n; i++) {
    const bit = 1 << i;
    for (let T = 0; T < m.length; T++) if (T & bit) m[T] -= m[T ^ bit];
  }
  return m;
}

/**
 * Pairwise Shapley interaction index (Grabisch & Roubens): I_ij = sum_{T containing i,j} m(T) / (|T|-1),
 * computed for all pairs at once by one superset-sum transform of the weighted Moebius coefficients.
 * Returns an n x n symmetric matrix (row-major) with a zero diagonal.
 */
export function shapleyInteractions(moebius: Float64Array, n: number): Float64Array {
  checkTable(moebius, n);
  const g = new Float64Array(moebius.length);
  for (let T = 0; T < g.length; T++) {
    const t = popcount(T);
    if (t >= 2) g[T] = moebius[T] / (t - 1);
  }
  for (let i = 0; i < n; i++) {
    const bit = 1 << i;
    for (let T = 0; T < g.length; T++) if (!(T & bit)) g[T] += g[T | bit];
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      out[i * n + j] = out[j * n + i] = g[(1 << i) | (1 << j)];
    }
  }
  return out;
}

/**
 * Main effects of the order-2 Shapley decomposition (2-SII, Bordt & von Luxburg's n-Shapley values for
 * n = 2): phi_i - 1/2 sum_j I_ij. Together with the pairwise interactions they sum to v(N) - v(empty), so
 * a heat map with these on the diagonal shows a complete, efficient decomposition.
 */
export function mainEffects(shapley: Float64Array, interactions: Float64Array, n: number): Float64Array {
  const out = Float64Array.from(shapley);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (j !== i) out[i] -= interactions[i * n + j] / 2;
  }
  return out;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

function checkTable(values: Float64Array, n: number): void {
  if (values.length !== 2 ** n) throw new RangeError(`coalition table has ${values.length} values, expected 2^${n}`);
}
