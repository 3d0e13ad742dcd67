// A tiny line of the recent values of one number (an SVG polyline; text
// alternatives say the latest value).

export function Sparkline({ values, max, label, title }: { values: number[]; max?: number; label: string; title: string }) {
  const w = 80;
  const h = 20;
  if (values.length < 2) return <span class="spark-empty" aria-label={`${title}: no samples yet`}>{label}</span>;
  const top = Math.max(max ?? 0, ...values, 1e-9);
  const step = w / (values.length - 1);
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(h - 1 - (v / top) * (h - 2)).toFixed(1)}`).join(" ");
  return (
    <span class="spark">
      <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${title}: ${label}`}>
        <polyline points={pts} fill="none" stroke="currentColor" stroke-width="1.5" />
      </svg>
      <span class="spark-label">{label}</span>
    </span>
  );
}
