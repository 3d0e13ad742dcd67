import { useEffect, useMemo, useState } from "preact/hooks";
import { get } from "../api";
import { confirmAction, notify } from "../components/dialogs";
import { Ports } from "../components/ports";
import { runAction, type Action } from "../container-actions";
import { refreshOn } from "../engine-events";
import { containerName } from "../format";
import { href } from "../router";
import type { ContainerSummary } from "../types";

const PROJECT = "com.docker.compose.project";
const SERVICE = "com.docker.compose.service";

interface Project {
  name: string;
  dir?: string;
  files?: string;
  containers: ContainerSummary[];
}

/** Compose projects, as `docker compose ls` finds them: containers grouped by their project label. */
export function Compose() {
  const [list, setList] = useState<ContainerSummary[]>();
  const [error, setError] = useState<string>();
  const load = () =>
    get<ContainerSummary[]>("/containers/json", { all: 1, filters: JSON.stringify({ label: [PROJECT] }) }).then(
      (l) => (setList(l), setError(undefined)),
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void load();
    return refreshOn(["container"], () => void load());
  }, []);
  const projects = useMemo(() => {
    const by = new Map<string, Project>();
    for (const c of list ?? []) {
      const name = c.Labels?.[PROJECT];
      if (!name) continue;
      const p = by.get(name) ?? { name, containers: [], dir: c.Labels?.["com.docker.compose.project.working_dir"], files: c.Labels?.["com.docker.compose.project.config_files"] };
      p.containers.push(c);
      by.set(name, p);
    }
    return [...by.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [list]);
  const all = async (p: Project, a: Action) => {
    const targets = p.containers.filter((c) => (a === "start" ? c.State !== "running" : c.State === "running"));
    if (!targets.length) return notify(`Nothing to ${a} in ${p.name}`);
    if (!(await confirmAction({ title: `${a[0]!.toUpperCase()}${a.slice(1)} ${targets.length} containers of ${p.name}?`, confirm: a, danger: a === "stop" }))) return;
    for (const c of targets) await runAction(a, c.Id, containerName(c.Names), false);
  };
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!list) return <p>Loading…</p>;
  return (
    <section aria-labelledby="h-compose">
      <h1 id="h-compose">Compose projects</h1>
      {projects.length === 0 && (
        <p class="muted">
          No compose project has containers here. <code>wharf compose up -d</code> (or <code>docker compose</code>) in a project directory starts one.
        </p>
      )}
      {projects.map((p) => {
        const running = p.containers.filter((c) => c.State === "running").length;
        return (
          <article key={p.name} class="card project" aria-labelledby={`p-${p.name}`}>
            <div class="page-head">
              <h2 id={`p-${p.name}`}>
                {p.name} <span class="muted">{running}/{p.containers.length} running</span>
              </h2>
              <div class="actions">
                <button type="button" onClick={() => void all(p, "start")}>
                  Start all
                </button>
                <button type="button" onClick={() => void all(p, "restart")}>
                  Restart all
                </button>
                <button type="button" class="danger" onClick={() => void all(p, "stop")}>
                  Stop all
                </button>
              </div>
            </div>
            {p.dir && (
              <p class="muted">
                <code>{p.dir}</code> {p.files && <>· {p.files}</>}
              </p>
            )}
            <table>
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Container</th>
                  <th scope="col">State</th>
                  <th scope="col" class="wide">Ports</th>
                </tr>
              </thead>
              <tbody>
                {p.containers
                  .slice()
                  .sort((a, b) => (a.Labels?.[SERVICE] ?? "").localeCompare(b.Labels?.[SERVICE] ?? ""))
                  .map((c) => (
                    <tr key={c.Id}>
                      <td>{c.Labels?.[SERVICE] ?? "–"}</td>
                      <td>
                        <a href={href("containers", c.Id)}>{containerName(c.Names)}</a>
                      </td>
                      <td>
                        <span class={`state ${c.State}`}>{c.State}</span> <span class="muted wide">{c.Status}</span>
                      </td>
                      <td class="wide">
                        <Ports ports={c.Ports} />
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </article>
        );
      })}
    </section>
  );
}
