/** Amdahl's law: the speedup of work with a serial fraction on n processors, and its fit. */

/** Speedup predicted for serial fraction `serial` on `n` processors: 1 / (s + (1 - s) / n). */
export function amdahl(serial: number, n: number): number {
  return 1 / (serial + (1 - serial) / n);
}

/** The serial fraction in [0, 1] that best fits measured (processors, speedup) points (least squares). */
export function fitSerialFraction(points: readonly { n: number; speedup: number }[]): number {
  if (points.length === 0) throw new Error('fitSerialFraction needs at least one point');
  const error = (s: number) => points.reduce((sum, p) => sum + (amdahl(s, p.n) - p.speedup) ** 2, 0);
  // The error is unimodal in s: a coarse grid, then a golden-section search around its best.
  let best = 0;
  for (let i = 1; i <= 100; i++) if (error(i / 100) < error(best)) best = i / 100;
  let lo = Math.max(0, best - 0.01);
  let hi = Math.min(1, best + 0.01);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const a = hi - g * (hi - lo);
    const b = lo + g * (hi - lo);
    if (error(a) < error(b)) hi = b;
    else lo = a;
  }
  return (lo + hi) / 2;
}
