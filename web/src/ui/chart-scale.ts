/** Axis arithmetic for the charts, apart from React so it can be tested on its own. */

/** Gridline values from 0 in 1-2-5 steps, the last one at or above `max` (so nothing is drawn off the chart). */
export function ticks(max: number, integer = false): number[] {
  if (max <= 0) return [0];
  const raw = max / 4;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const nice = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const step = integer ? Math.max(1, Math.ceil(nice)) : nice;
  const out = [0];
  while (out[out.length - 1]! < max - 1e-9) out.push(Math.round((out[out.length - 1]! + step) * 1e6) / 1e6);
  return out;
}
