import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

// A live time series (uPlot): x in seconds since the epoch, one or more series.

export interface Series {
  label: string;
  color: string;
}

export function TimeChart({ title, series, data, format }: { title: string; series: Series[]; data: number[][]; format: (v: number) => string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current!;
    const width = () => Math.max(240, el.clientWidth);
    const u = new uPlot(
      {
        title,
        width: width(),
        height: 180,
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, value: (_u: uPlot, v: number | null) => (v === null ? "–" : format(v)) }))],
        axes: [{}, { values: (_u: uPlot, vals: number[]) => vals.map(format), size: 70 }],
        // At least the last minute, ending at the newest sample (uPlot pads a lone sample by a day of ms: years).
        scales: { x: { time: true, range: (u: uPlot, min: number) => {
          const last = (u.data[0].at(-1) as number | undefined) ?? min;
          return [Math.min(min, last - 60), last];
        } }, y: { range: (_u: uPlot, _min: number, max: number) => [0, max > 0 ? max * 1.1 : 1] } },
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      },
      data as uPlot.AlignedData,
      el,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: width(), height: 180 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [title, series.length]);
  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);
  return <div class="chart" ref={box} role="img" aria-label={`${title}: latest ${series.map((s, i) => `${s.label} ${format(data[i + 1]?.at(-1) ?? 0)}`).join(", ")}`} />;
}
