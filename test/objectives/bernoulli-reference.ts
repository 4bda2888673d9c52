/**
 * Three images of 784 grey-level pixels with logits up to +-40, and their Bernoulli
 * log-likelihoods in float64 by the stable form sum_j [x_j l_j - max(l_j, 0) - log(1 + exp(-|l_j|))]:
 * the reference that both layouts of the kit's log-likelihood are checked against.
 */
export function wideLogitCase(): { x: number[][]; logits: number[][]; exact: number[] } {
  const x = Array.from({ length: 3 }, (_, r) => Array.from({ length: 784 }, (_, c) => ((r * 13 + c * 7) % 11) / 10));
  const logits = Array.from({ length: 3 }, (_, r) => Array.from({ length: 784 }, (_, c) => 40 * Math.sin(r + c * 0.37)));
  const exact = x.map((row, r) => row.reduce((acc, xi, c) => {
    const l = logits[r][c];
    return acc + xi * l - Math.max(l, 0) - Math.log1p(Math.exp(-Math.abs(l)));
  }, 0));
  return { x, logits, exact };
}
