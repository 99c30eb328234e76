/**
 * Small SVG time-series charts (bars for counts, a line for latency). Hand-drawn rather than a chart
 * library: two chart kinds do not justify ~100 kB of bundle. Each chart has a text summary for
 * screen readers and a hover title per bar or point.
 */
import { ticks } from './chart-scale';

export interface Point {
  t: string;
  value: number | null;
  /** Optional second series drawn on top of the bars (e.g. errors within calls). */
  overlay?: number;
}

const W = 600;
const H = 160;
const PAD = { l: 36, r: 8, t: 8, b: 20 };

function label(t: string, bucket: string): string {
  const d = new Date(t);
  return bucket === 'day' ? d.toLocaleDateString() : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function Axes({ max, unit, integer = false }: { max: number; unit: string; integer?: boolean }) {
  const innerH = H - PAD.t - PAD.b;
  return (
    <g className="chart-axis">
      {ticks(max, integer).map((v) => {
        const y = PAD.t + innerH - (max === 0 ? 0 : (v / max) * innerH);
        return (
          <g key={v}>
            <line x1={PAD.l} x2={W - PAD.r} y1={y} y2={y} />
            <text x={PAD.l - 4} y={y + 3} textAnchor="end">
              {v}
              {unit}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** Bars per bucket; `overlay` (errors) is drawn over the bar in the alert colour. */
export function BarChart({ points, title, bucket }: { points: Point[]; title: string; bucket: string }) {
  const max = Math.max(1, ...points.map((p) => p.value ?? 0));
  const top = ticks(max, true).at(-1) ?? max;
  const innerW = W - PAD.l - PAD.r;
  const innerH = H - PAD.t - PAD.b;
  const bw = points.length > 0 ? innerW / points.length : innerW;
  const total = points.reduce((s, p) => s + (p.value ?? 0), 0);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}: ${total} in ${points.length} intervals, peak ${Math.max(0, ...points.map((p) => p.value ?? 0))}`}>
        <Axes max={top} unit="" integer />
        {points.map((p, i) => {
          const h = ((p.value ?? 0) / top) * innerH;
          const oh = ((p.overlay ?? 0) / top) * innerH;
          const x = PAD.l + i * bw + bw * 0.1;
          return (
            <g key={p.t}>
              <title>{`${label(p.t, bucket)}: ${p.value ?? 0}${p.overlay ? ` (${p.overlay} errors)` : ''}`}</title>
              <rect className="chart-bar" x={x} y={PAD.t + innerH - h} width={bw * 0.8} height={h} />
              {oh > 0 && <rect className="chart-bar-alert" x={x} y={PAD.t + innerH - oh} width={bw * 0.8} height={oh} />}
            </g>
          );
        })}
        <XLabels points={points} bucket={bucket} />
      </svg>
    </figure>
  );
}

/** A line through the buckets that have a value (gaps where nothing happened). */
export function LineChart({ points, title, bucket, unit = '' }: { points: Point[]; title: string; bucket: string; unit?: string }) {
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const max = Math.max(1, ...values);
  const top = ticks(max).at(-1) ?? max;
  const innerW = W - PAD.l - PAD.r;
  const innerH = H - PAD.t - PAD.b;
  const step = points.length > 1 ? innerW / (points.length - 1) : 0;
  const coords = points.map((p, i) => (p.value === null ? undefined : ([PAD.l + i * step, PAD.t + innerH - (p.value / top) * innerH] as const)));
  let d = '';
  let pen = false;
  for (const c of coords) {
    if (!c) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${c[0].toFixed(1)},${c[1].toFixed(1)} `;
    pen = true;
  }
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={values.length ? `${title}: from ${Math.min(...values)}${unit} to ${Math.max(...values)}${unit}` : `${title}: no data`}>
        <Axes max={top} unit={unit} />
        <path className="chart-line" d={d} />
        {coords.map((c, i) =>
          c ? (
            <circle key={points[i]!.t} className="chart-dot" cx={c[0]} cy={c[1]} r={3.5}>
              <title>{`${label(points[i]!.t, bucket)}: ${points[i]!.value}${unit}`}</title>
            </circle>
          ) : null,
        )}
        <XLabels points={points} bucket={bucket} />
      </svg>
    </figure>
  );
}

function XLabels({ points, bucket }: { points: Point[]; bucket: string }) {
  if (points.length === 0) return null;
  const innerW = W - PAD.l - PAD.r;
  const picks = [0, Math.floor((points.length - 1) / 2), points.length - 1].filter((v, i, a) => a.indexOf(v) === i);
  return (
    <g className="chart-axis">
      {picks.map((i) => (
        <text key={i} x={PAD.l + (points.length > 1 ? (i / (points.length - 1)) * innerW : innerW / 2)} y={H - 4} textAnchor={i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle'}>
          {label(points[i]!.t, bucket)}
        </text>
      ))}
    </g>
  );
}
