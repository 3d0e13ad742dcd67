import { useEffect, useState } from "preact/hooks";
import { get, post } from "../api";
import { attempt, confirmAction, notify } from "../components/dialogs";
import { bytes } from "../format";

type Json = Record<string, any>;

const PRUNES: { key: string; label: string; path: string; body: string; q?: Record<string, string> }[] = [
  { key: "containers", label: "Stopped containers", path: "/containers/prune", body: "Every stopped container is removed." },
  { key: "images", label: "Dangling images", path: "/images/prune", body: "Images without a tag that no container uses are removed." },
  { key: "images-all", label: "Unused images", path: "/images/prune", body: "Every image no container uses is removed, tagged or not.", q: { filters: JSON.stringify({ dangling: ["false"] }) } },
  { key: "volumes", label: "Unused volumes", path: "/volumes/prune", body: "Every volume no container uses is deleted with its data.", q: { filters: JSON.stringify({ all: ["true"] }) } },
  { key: "networks", label: "Unused networks", path: "/networks/prune", body: "User-defined networks no container uses are removed." },
  { key: "build", label: "Build cache", path: "/build/prune", body: "The builder's cache is cleared." },
];

export function System() {
  const [info, setInfo] = useState<Json>();
  const [version, setVersion] = useState<Json>();
  const [df, setDf] = useState<Json>();
  const [error, setError] = useState<string>();
  const load = () =>
    Promise.all([get<Json>("/info"), get<Json>("/version"), get<Json>("/system/df")]).then(
      ([i, v, d]) => (setInfo(i), setVersion(v), setDf(d), setError(undefined)),
      (e: Error) => setError(e.message),
    );
  useEffect(() => void load(), []);
  const prune = async (p: (typeof PRUNES)[number]) => {
    if (!(await confirmAction({ title: `Prune: ${p.label.toLowerCase()}?`, body: p.body, confirm: "Prune", danger: true }))) return;
    const r = await attempt(`Prune ${p.label.toLowerCase()}`, () => post<Json>(p.path, p.q));
    if (r) notify(`${p.label}: ${bytes(r.SpaceReclaimed ?? 0)} reclaimed`);
    void load();
  };
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!info || !df) return <p>Loading…</p>;
  const usage = diskUsage(df);
  const facts: [string, string][] = [
    ["Name", info.Name],
    ["Version", `${version?.Version ?? info.ServerVersion} (API ${version?.ApiVersion ?? "?"})`],
    ["Operating system", `${info.OperatingSystem} · kernel ${info.KernelVersion}`],
    ["CPUs · memory", `${info.NCPU} · ${bytes(info.MemTotal)}`],
    ["Containers", `${info.Containers} (${info.ContainersRunning} running, ${info.ContainersPaused} paused, ${info.ContainersStopped} stopped)`],
    ["Images", String(info.Images)],
    ["Storage driver", info.Driver],
    ["Cgroups", `${info.CgroupDriver} v${info.CgroupVersion}`],
    ["Runtimes", `${Object.keys(info.Runtimes ?? {}).join(", ")} (default ${info.DefaultRuntime})`],
    ["Data root", info.DockerRootDir],
    ["Swarm", info.Swarm?.LocalNodeState ?? "inactive"],
  ];
  return (
    <section aria-labelledby="h-system">
      <h1 id="h-system">System</h1>
      <div class="cards">
        <div class="card">
          <h2>Engine</h2>
          <dl>
            {facts.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          {(info.Warnings ?? []).length > 0 && (
            <details>
              <summary>Warnings ({info.Warnings.length})</summary>
              <ul>
                {(info.Warnings as string[]).map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </details>
          )}
        </div>
        <div class="card">
          <h2>Disk usage</h2>
          <DiskChart rows={usage} />
        </div>
        <div class="card">
          <h2>Prune</h2>
          <ul class="prunes">
            {PRUNES.map((p) => (
              <li key={p.key}>
                <button type="button" class="danger" onClick={() => void prune(p)}>
                  {p.label}
                </button>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}

interface UsageRow {
  label: string;
  size: number;
  reclaimable: number;
  count: number;
}

function diskUsage(df: Json): UsageRow[] {
  const images: Json[] = df.Images ?? [];
  const containers: Json[] = df.Containers ?? [];
  const volumes: Json[] = df.Volumes ?? [];
  const cache: Json[] = df.BuildCache ?? [];
  const sum = (xs: Json[], f: (x: Json) => number) => xs.reduce((a, x) => a + Math.max(0, f(x) || 0), 0);
  return [
    { label: "Images", size: df.LayersSize ?? sum(images, (i) => i.Size), reclaimable: sum(images.filter((i) => !i.Containers), (i) => i.Size - (i.SharedSize > 0 ? i.SharedSize : 0)), count: images.length },
    { label: "Containers", size: sum(containers, (c) => c.SizeRw), reclaimable: sum(containers.filter((c) => c.State !== "running"), (c) => c.SizeRw), count: containers.length },
    { label: "Volumes", size: sum(volumes, (v) => v.UsageData?.Size), reclaimable: sum(volumes.filter((v) => !v.UsageData?.RefCount), (v) => v.UsageData?.Size), count: volumes.length },
    { label: "Build cache", size: sum(cache, (b) => b.Size), reclaimable: sum(cache.filter((b) => !b.InUse), (b) => b.Size), count: cache.length },
  ];
}

/** Horizontal bars, one per kind, the reclaimable part lighter; the numbers are in the text too. */
function DiskChart({ rows }: { rows: UsageRow[] }) {
  const max = Math.max(1, ...rows.map((r) => r.size));
  return (
    <div class="disk">
      <svg viewBox="0 0 300 120" role="img" aria-label={rows.map((r) => `${r.label} ${bytes(r.size)}`).join(", ")}>
        {rows.map((r, i) => (
          <g key={r.label} transform={`translate(0 ${i * 30})`}>
            <text x="0" y="14" class="disk-label">
              {r.label}
            </text>
            <rect x="90" y="3" width={(r.size / max) * 200} height="14" class="disk-used" />
            <rect x={90 + ((r.size - r.reclaimable) / max) * 200} y="3" width={(r.reclaimable / max) * 200} height="14" class="disk-reclaimable" />
          </g>
        ))}
      </svg>
      <table>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Count</th>
            <th scope="col">Size</th>
            <th scope="col">Reclaimable</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <td>{r.label}</td>
              <td>{r.count}</td>
              <td>{bytes(r.size)}</td>
              <td>{bytes(r.reclaimable)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
