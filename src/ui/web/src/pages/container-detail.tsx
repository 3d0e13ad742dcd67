import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { get, seg } from "../api";
import { actionLabel, actionsFor, runAction } from "../container-actions";
import { refreshOn } from "../engine-events";
import { date, shortId } from "../format";
import { href, navigate } from "../router";
import { ContainerLogs } from "./container-logs";
import { lazy, Suspense } from "preact/compat";

// The graphs (uPlot) and the terminal (xterm.js) load when first opened.
const ContainerStats = lazy(() => import("./container-stats").then((m) => m.ContainerStats));
const ContainerTerminal = lazy(() => import("./container-terminal").then((m) => m.ContainerTerminal));
import { ContainerTop } from "./container-top";

type Inspect = Record<string, any>;

const TABS = [
  { key: "logs", label: "Logs" },
  { key: "stats", label: "Stats" },
  { key: "top", label: "Processes" },
  { key: "terminal", label: "Terminal" },
  { key: "inspect", label: "Inspect" },
];

export function ContainerDetail({ id, tab }: { id: string; tab: string }) {
  const [c, setC] = useState<Inspect>();
  const [error, setError] = useState<string>();
  const load = () =>
    get<Inspect>(`/containers/${seg(id)}/json`).then(
      (x) => (setC(x), setError(undefined)),
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void load();
    return refreshOn(["container"], () => void load());
  }, [id]);
  if (error) return <p class="error" role="alert">{error} <a href={href("containers")}>Back to containers</a></p>;
  if (!c) return <p>Loading…</p>;
  const name = String(c.Name ?? "").replace(/^\//, "");
  const st = c.State ?? {};
  const state: string = st.Status ?? "unknown";
  const running = state === "running";
  return (
    <section aria-labelledby="h-container">
      <p class="crumbs">
        <a href={href("containers")}>Containers</a> /
      </p>
      <div class="page-head">
        <h1 id="h-container">
          {name} <span class={`state ${state}`}>{state}</span>
        </h1>
        <div class="actions">
          {actionsFor(state).map((a) => (
            <button
              key={a}
              type="button"
              class={a === "remove" || a === "kill" ? "danger" : ""}
              onClick={async () => {
                if ((await runAction(a, c.Id, name)) && a === "remove") navigate("containers");
              }}
            >
              {actionLabel(a)}
            </button>
          ))}
        </div>
      </div>
      <Summary c={c} />
      <nav class="tabs" aria-label="Container views">
        {TABS.map((t) => (
          <a key={t.key} href={href("containers", id, t.key)} aria-current={tab === t.key ? "page" : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      <Suspense fallback={<p>Loading…</p>}>
      <div class="tab-body">
        {tab === "logs" && <ContainerLogs id={c.Id} />}
        {tab === "stats" && (running ? <ContainerStats id={c.Id} /> : <p class="muted">Stats are shown while the container runs.</p>)}
        {tab === "top" && (running ? <ContainerTop id={c.Id} /> : <p class="muted">Processes are shown while the container runs.</p>)}
        {tab === "terminal" && (running ? <ContainerTerminal id={c.Id} /> : <p class="muted">Start the container to open a terminal in it.</p>)}
        {tab === "inspect" && <pre class="inspect">{JSON.stringify(c, null, 2)}</pre>}
      </div>
      </Suspense>
    </section>
  );
}

function Summary({ c }: { c: Inspect }) {
  const [showEnv, setShowEnv] = useState(false);
  const st = c.State ?? {};
  const cfg = c.Config ?? {};
  const hc = c.HostConfig ?? {};
  const nets: Record<string, any> = c.NetworkSettings?.Networks ?? {};
  const ports: Record<string, { HostIp: string; HostPort: string }[] | null> = c.NetworkSettings?.Ports ?? {};
  const cmd = [...(cfg.Entrypoint ?? []), ...(cfg.Cmd ?? [])].join(" ");
  const rows: [string, ComponentChildren][] = [
    ["ID", <code>{shortId(c.Id)}</code>],
    ["Image", cfg.Image ?? c.Image],
    ["Command", <code>{cmd || "–"}</code>],
    ["Created", date(c.Created)],
    ["Started", date(st.StartedAt)],
    ...(st.Status !== "running" ? ([["Exit code", String(st.ExitCode ?? "–")], ["Finished", date(st.FinishedAt)]] as [string, string][]) : []),
    ...(st.Health ? ([["Health", st.Health.Status]] as [string, string][]) : []),
    ["Restart policy", `${hc.RestartPolicy?.Name || "no"}${c.RestartCount ? ` (restarted ${c.RestartCount}×)` : ""}`],
    ["Networks", Object.entries(nets).map(([n, e]) => `${n} ${e.IPAddress || ""}`.trim()).join(", ") || "–"],
    [
      "Ports",
      Object.entries(ports)
        .map(([p, b]) => (b?.length ? `${b.map((x) => `${x.HostIp || "0.0.0.0"}:${x.HostPort}`).join(", ")} → ${p}` : p))
        .join("; ") || "–",
    ],
    ["Mounts", (c.Mounts ?? []).map((m: any) => `${m.Name ?? m.Source} → ${m.Destination}${m.RW === false ? " (ro)" : ""}`).join("; ") || "–"],
  ];
  const labels = Object.entries((cfg.Labels ?? {}) as Record<string, string>);
  return (
    <div class="summary">
      <dl>
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {labels.length > 0 && (
        <details>
          <summary>Labels ({labels.length})</summary>
          <ul class="labels">
            {labels.map(([k, v]) => (
              <li key={k}>
                <code>{k}</code>=<code>{v}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
      {(cfg.Env ?? []).length > 0 && (
        <details onToggle={(e) => setShowEnv((e.target as HTMLDetailsElement).open)}>
          <summary>Environment ({cfg.Env.length}; may hold secrets)</summary>
          {showEnv && (
            <ul class="labels">
              {(cfg.Env as string[]).map((e) => (
                <li key={e}>
                  <code>{e}</code>
                </li>
              ))}
            </ul>
          )}
        </details>
      )}
    </div>
  );
}
