import { useEffect, useState } from "preact/hooks";
import { del, get, post, seg } from "../api";
import { attempt, confirmAction, notify } from "../components/dialogs";
import { Users } from "../components/users";
import { refreshOn } from "../engine-events";
import { ago, bytes } from "../format";
import type { ContainerSummary } from "../types";

interface Volume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Labels?: Record<string, string> | null;
}

export function Volumes() {
  const [vols, setVols] = useState<Volume[]>();
  const [containers, setContainers] = useState<ContainerSummary[]>([]);
  const [error, setError] = useState<string>();
  const load = () =>
    Promise.all([get<{ Volumes: Volume[] | null }>("/volumes"), get<ContainerSummary[]>("/containers/json", { all: 1 })]).then(
      ([v, c]) => (setVols(v.Volumes ?? []), setContainers(c), setError(undefined)),
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void load();
    return refreshOn(["volume", "container"], () => void load());
  }, []);
  const usersOf = (name: string) => containers.filter((c) => (c.Mounts ?? []).some((m) => m.Type === "volume" && m.Name === name));
  const remove = async (v: Volume) => {
    if (!(await confirmAction({ title: `Remove the volume ${v.Name}?`, body: "Its data is deleted for good.", confirm: "Remove", danger: true }))) return;
    if (await attempt(`Remove ${v.Name}`, () => del(`/volumes/${seg(v.Name)}`))) notify(`Removed ${v.Name}`);
  };
  const prune = async (all: boolean) => {
    const what = all ? "every volume no container uses" : "anonymous volumes no container uses";
    if (!(await confirmAction({ title: "Prune volumes?", body: `This deletes ${what}, with their data.`, confirm: "Prune", danger: true }))) return;
    const r = await attempt("Prune volumes", () => post<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }>("/volumes/prune", all ? { filters: JSON.stringify({ all: ["true"] }) } : undefined));
    if (r) notify(`Pruned ${r.VolumesDeleted?.length ?? 0} volumes, ${bytes(r.SpaceReclaimed)} reclaimed`);
  };
  return (
    <section aria-labelledby="h-volumes">
      <div class="page-head">
        <h1 id="h-volumes">Volumes</h1>
        <div class="actions">
          <button type="button" onClick={() => void prune(false)}>
            Prune anonymous
          </button>
          <button type="button" class="danger" onClick={() => void prune(true)}>
            Prune all unused
          </button>
        </div>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {!vols ? (
        <p>Loading…</p>
      ) : vols.length === 0 ? (
        <p class="muted">No volumes.</p>
      ) : (
        <div class="table-wrap">
          <table class="volumes">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Driver</th>
                <th scope="col">Used by</th>
                <th scope="col" class="wide">Mountpoint</th>
                <th scope="col" class="wide">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {vols.map((v) => {
                const users = usersOf(v.Name);
                return (
                  <tr key={v.Name} data-name={v.Name}>
                    <td class="name">{v.Name}</td>
                    <td>{v.Driver}</td>
                    <td>
                      <Users users={users} />
                    </td>
                    <td class="wide muted">
                      <code>{v.Mountpoint}</code>
                    </td>
                    <td class="wide muted">{ago(v.CreatedAt)}</td>
                    <td class="actions">
                      <button type="button" class="small danger" aria-label={`Remove volume ${v.Name}`} onClick={() => void remove(v)} disabled={users.length > 0} title={users.length ? "In use by a container" : undefined}>
                        Remove
                      </button>
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
