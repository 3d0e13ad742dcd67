import { memo } from "preact/compat";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { get } from "../api";
import { actionLabel, actionsFor, runAction } from "../container-actions";
import { Ports } from "../components/ports";
import { useSlashToSearch } from "../components/search-keys";
import { Sparkline } from "../components/sparkline";
import { refreshOn } from "../engine-events";
import { ago, bytes, containerName, pct, shortId } from "../format";
import { href } from "../router";
import { statsFollower, useStatsHistory } from "../stats-store";
import type { ContainerSummary } from "../types";

const STATES = ["all", "running", "paused", "exited", "created", "restarting", "dead"];

declare global {
  interface Window {
    /** Render timings the browser tests and `npm run bench` read. */
    __wharf?: { containersRenderMs?: number; containersPaintMs?: number; containersRows?: number };
  }
}

export function matches(c: ContainerSummary, q: string): boolean {
  if (!q) return true;
  const hay = [containerName(c.Names), c.Id, c.Image, c.Status, ...Object.entries(c.Labels ?? {}).map(([k, v]) => `${k}=${v}`)].join("\n").toLowerCase();
  return q.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

export function Containers() {
  const [list, setList] = useState<ContainerSummary[]>();
  const [error, setError] = useState<string>();
  const [state, setState] = useState("all");
  const [q, setQ] = useState("");
  const search = useRef<HTMLInputElement>(null);
  const arrived = useRef(0);
  useSlashToSearch(search);
  const load = () =>
    get<ContainerSummary[]>("/containers/json", { all: 1 }).then(
      (l) => {
        arrived.current = performance.now();
        setList(l);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void load();
    return refreshOn(["container"], () => void load());
  }, []);
  const shown = useMemo(() => (list ?? []).filter((c) => (state === "all" || c.State === state) && matches(c, q)), [list, state, q]);
  useLayoutEffect(() => {
    if (!arrived.current) return;
    const t0 = arrived.current;
    arrived.current = 0;
    const w = (window.__wharf ??= {});
    w.containersRenderMs = performance.now() - t0;
    w.containersRows = document.querySelectorAll("table.containers tbody tr").length;
    requestAnimationFrame(() => setTimeout(() => (w.containersPaintMs = performance.now() - t0), 0));
  }, [list]);
  const tbody = useVisibleRunning(shown);
  return (
    <section aria-labelledby="h-containers">
      <div class="page-head">
        <h1 id="h-containers">Containers</h1>
        <div class="filters" role="search">
          <label class="sr-only" for="c-search">
            Search containers
          </label>
          <input id="c-search" ref={search} type="search" placeholder="Search name, image, label… ( / )" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
          <label class="sr-only" for="c-state">
            State
          </label>
          <select id="c-state" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s === "all" ? "all states" : s}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {!list ? (
        <p>Loading…</p>
      ) : (
        <>
          <p class="muted count" aria-live="polite">
            {shown.length} of {list.length} containers
          </p>
          <div class="table-wrap">
            <table class="containers">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">State</th>
                  <th scope="col" class="wide">Image</th>
                  <th scope="col" class="wide">Ports</th>
                  <th scope="col">CPU</th>
                  <th scope="col">Memory</th>
                  <th scope="col" class="wide">Created</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody ref={tbody}>
                {shown.map((c) => (
                  <Row key={c.Id} c={c} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

const Row = memo(function Row({ c }: { c: ContainerSummary }) {
  const name = containerName(c.Names);
  const project = c.Labels?.["com.docker.compose.project"];
  const live = c.State === "running" || c.State === "paused";
  return (
    <tr data-id={c.Id} data-running={live ? "1" : undefined}>
      <td>
        <a href={href("containers", c.Id)} class="name">
          {name}
        </a>
        <span class="muted id"> {shortId(c.Id)}</span>
        {project && <span class="tag" title="compose project">{project}</span>}
      </td>
      <td>
        <span class={`state ${c.State}`}>{c.State}</span>
        <span class="muted status wide">{c.Status}</span>
      </td>
      <td class="wide image">{c.Image}</td>
      <td class="wide">
        <Ports ports={c.Ports} />
      </td>
      {live ? <StatCells id={c.Id} /> : (<><td class="muted">–</td><td class="muted">–</td></>)}
      <td class="wide muted">{ago(c.Created)}</td>
      <td class="actions">
        {actionsFor(c.State).map((a) => (
          <button key={a} type="button" class={a === "remove" || a === "kill" ? "small danger" : "small"} aria-label={`${actionLabel(a)} ${name}`} onClick={() => void runAction(a, c.Id, name)}>
            {actionLabel(a)}
          </button>
        ))}
      </td>
    </tr>
  );
});

function StatCells({ id }: { id: string }) {
  const h = useStatsHistory(id);
  const last = h.at(-1);
  return (
    <>
      <td>
        <Sparkline values={h.map((p) => p.cpu)} label={pct(last?.cpu)} title="CPU" />
      </td>
      <td>
        <Sparkline values={h.map((p) => p.mem)} max={0} label={bytes(last?.mem)} title="Memory" />
      </td>
    </>
  );
}

/** Follows stats (one live subscription) for the running rows that are on screen. */
function useVisibleRunning(rows: ContainerSummary[]) {
  const tbody = useRef<HTMLTableSectionElement>(null);
  const follower = useRef<ReturnType<typeof statsFollower> | undefined>(undefined);
  useEffect(() => {
    follower.current = statsFollower();
    return () => follower.current?.close();
  }, []);
  useEffect(() => {
    const visible = new Set<string>();
    let timer: number | undefined;
    const push = () => {
      timer = undefined;
      follower.current?.follow([...visible]);
    };
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const id = (e.target as HTMLElement).dataset.id!;
        if (e.isIntersecting) visible.add(id);
        else visible.delete(id);
      }
      timer ??= window.setTimeout(push, 200);
    });
    const running = tbody.current?.querySelectorAll<HTMLElement>("tr[data-running]") ?? [];
    for (const tr of running) io.observe(tr);
    if (running.length === 0) follower.current?.follow([]);
    return () => {
      io.disconnect();
      if (timer) clearTimeout(timer);
    };
  }, [rows]);
  return tbody;
}
