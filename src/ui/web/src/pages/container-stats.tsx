import { useEffect, useMemo } from "preact/hooks";
import { TimeChart } from "../components/time-chart";
import { bytes, pct } from "../format";
import { statsFollower, useStatsHistory, type StatsPoint } from "../stats-store";

const rate = (h: StatsPoint[], f: (p: StatsPoint) => number) =>
  h.map((p, i) => (i === 0 ? 0 : Math.max(0, (f(p) - f(h[i - 1]!)) / Math.max(0.001, (p.t - h[i - 1]!.t) / 1000))));

/** Live CPU, memory, network and block I/O graphs from the tab's stats subscription. */
export function ContainerStats({ id }: { id: string }) {
  useEffect(() => {
    const f = statsFollower();
    f.follow([id]);
    return () => f.close();
  }, [id]);
  const h = useStatsHistory(id);
  const last = h.at(-1);
  const x = useMemo(() => h.map((p) => p.t / 1000), [h.length, last]);
  const perSec = (n: number) => `${bytes(n)}/s`;
  return (
    <div class="stats-view">
      <p class="muted" aria-live="polite">
        {last
          ? `CPU ${pct(last.cpu)} · memory ${bytes(last.mem)} of ${bytes(last.memLimit)} · ${last.pids} processes`
          : "Waiting for the first samples (one a second)…"}
      </p>
      <div class="charts">
        <TimeChart title="CPU" series={[{ label: "CPU %", color: "#1f6feb" }]} data={[x, h.map((p) => p.cpu)]} format={(v) => `${v.toFixed(1)} %`} />
        <TimeChart
          title="Memory"
          series={[{ label: "used", color: "#8250df" }]}
          data={[x, h.map((p) => p.mem)]}
          format={bytes}
        />
        <TimeChart
          title="Network"
          series={[
            { label: "received", color: "#1a7f37" },
            { label: "sent", color: "#bf8700" },
          ]}
          data={[x, rate(h, (p) => p.rx), rate(h, (p) => p.tx)]}
          format={perSec}
        />
        <TimeChart
          title="Block I/O"
          series={[
            { label: "read", color: "#0969da" },
            { label: "written", color: "#cf222e" },
          ]}
          data={[x, rate(h, (p) => p.blkRead), rate(h, (p) => p.blkWrite)]}
          format={perSec}
        />
      </div>
    </div>
  );
}
