import { useEffect, useState } from "preact/hooks";
import { get } from "../api";
import { refreshOn } from "../engine-events";
import { shortId } from "../format";

type Json = Record<string, any>;

/** Swarm services and nodes (when this engine is a swarm manager). */
export function Swarm({ active }: { active: boolean }) {
  const [services, setServices] = useState<Json[]>();
  const [nodes, setNodes] = useState<Json[]>();
  const [error, setError] = useState<string>();
  const load = () =>
    Promise.all([get<Json[]>("/services", { status: 1 }), get<Json[]>("/nodes")]).then(
      ([s, n]) => (setServices(s), setNodes(n), setError(undefined)),
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    if (!active) return;
    void load();
    return refreshOn(["service", "node"], () => void load());
  }, [active]);
  if (!active) return <p class="muted">This engine is not part of a swarm (<code>wharf swarm init</code> starts one).</p>;
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!services || !nodes) return <p>Loading…</p>;
  return (
    <section aria-labelledby="h-swarm">
      <h1 id="h-swarm">Swarm</h1>
      <h2>Services</h2>
      <div class="table-wrap">
        <table class="services">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Mode</th>
              <th scope="col">Replicas</th>
              <th scope="col" class="wide">Image</th>
              <th scope="col" class="wide">Ports</th>
            </tr>
          </thead>
          <tbody>
            {services.map((s) => {
              const mode = s.Spec?.Mode?.Global ? "global" : "replicated";
              const st = s.ServiceStatus;
              return (
                <tr key={s.ID}>
                  <td>
                    {s.Spec?.Name} <span class="muted id">{shortId(s.ID)}</span>
                  </td>
                  <td>{mode}</td>
                  <td>{st ? `${st.RunningTasks}/${st.DesiredTasks}` : (s.Spec?.Mode?.Replicated?.Replicas ?? "–")}</td>
                  <td class="wide">{String(s.Spec?.TaskTemplate?.ContainerSpec?.Image ?? "").split("@")[0]}</td>
                  <td class="wide">{(s.Endpoint?.Ports ?? []).map((p: Json) => `${p.PublishedPort}→${p.TargetPort}/${p.Protocol}`).join(", ") || "–"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h2>Nodes</h2>
      <div class="table-wrap">
        <table class="nodes">
          <thead>
            <tr>
              <th scope="col">Hostname</th>
              <th scope="col">Status</th>
              <th scope="col">Availability</th>
              <th scope="col">Manager</th>
              <th scope="col" class="wide">Engine</th>
            </tr>
          </thead>
          <tbody>
            {nodes.map((n) => (
              <tr key={n.ID}>
                <td>
                  {n.Description?.Hostname} <span class="muted id">{shortId(n.ID)}</span>
                </td>
                <td>{n.Status?.State}</td>
                <td>{n.Spec?.Availability}</td>
                <td>{n.ManagerStatus ? (n.ManagerStatus.Leader ? "leader" : n.ManagerStatus.Reachability) : "–"}</td>
                <td class="wide">{n.Description?.Engine?.EngineVersion}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
