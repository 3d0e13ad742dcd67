import { useEffect, useState } from "preact/hooks";
import { del, get, post, seg } from "../api";
import { attempt, confirmAction, notify } from "../components/dialogs";
import { Users } from "../components/users";
import { refreshOn } from "../engine-events";
import { shortId } from "../format";
import type { ContainerSummary } from "../types";

interface Network {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  Internal?: boolean;
  EnableIPv6?: boolean;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] | null };
}

const BUILTIN = new Set(["bridge", "host", "none"]);

export function Networks() {
  const [nets, setNets] = useState<Network[]>();
  const [containers, setContainers] = useState<ContainerSummary[]>([]);
  const [error, setError] = useState<string>();
  const load = () =>
    Promise.all([get<Network[]>("/networks"), get<ContainerSummary[]>("/containers/json", { all: 1 })]).then(
      ([n, c]) => (setNets(n.sort((a, b) => a.Name.localeCompare(b.Name))), setContainers(c), setError(undefined)),
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void load();
    return refreshOn(["network", "container"], () => void load());
  }, []);
  const usersOf = (n: Network) =>
    containers.filter((c) => Object.entries(c.NetworkSettings?.Networks ?? {}).some(([name, e]) => name === n.Name || e.NetworkID === n.Id));
  const remove = async (n: Network) => {
    if (!(await confirmAction({ title: `Remove the network ${n.Name}?`, confirm: "Remove", danger: true }))) return;
    if (await attempt(`Remove ${n.Name}`, () => del(`/networks/${seg(n.Id)}`))) notify(`Removed ${n.Name}`);
  };
  const prune = async () => {
    if (!(await confirmAction({ title: "Prune networks?", body: "This removes every user-defined network no container uses.", confirm: "Prune", danger: true }))) return;
    const r = await attempt("Prune networks", () => post<{ NetworksDeleted: string[] | null }>("/networks/prune"));
    if (r) notify(`Pruned ${r.NetworksDeleted?.length ?? 0} networks`);
  };
  return (
    <section aria-labelledby="h-networks">
      <div class="page-head">
        <h1 id="h-networks">Networks</h1>
        <div class="actions">
          <button type="button" class="danger" onClick={() => void prune()}>
            Prune unused
          </button>
        </div>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {!nets ? (
        <p>Loading…</p>
      ) : (
        <div class="table-wrap">
          <table class="networks">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Driver</th>
                <th scope="col" class="wide">Subnet</th>
                <th scope="col">Used by</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {nets.map((n) => {
                const users = usersOf(n);
                return (
                  <tr key={n.Id}>
                    <td>
                      <span class="name">{n.Name}</span> <span class="muted id">{shortId(n.Id)}</span>
                      {n.Internal && <span class="tag">internal</span>}
                    </td>
                    <td>
                      {n.Driver} <span class="muted">{n.Scope}</span>
                    </td>
                    <td class="wide">{(n.IPAM?.Config ?? []).map((c) => c.Subnet).filter(Boolean).join(", ") || "–"}</td>
                    <td>
                      <Users users={users} />
                    </td>
                    <td class="actions">
                      {!BUILTIN.has(n.Name) && (
                        <button type="button" class="small danger" aria-label={`Remove network ${n.Name}`} disabled={users.length > 0} onClick={() => void remove(n)}>
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
