import { useEffect, useState } from "preact/hooks";
import { get, seg } from "../api";

/** `docker top`: the container's processes, refreshed every few seconds while shown. */
export function ContainerTop({ id }: { id: string }) {
  const [top, setTop] = useState<{ Titles: string[]; Processes: string[][] }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stop = false;
    const load = () =>
      get<{ Titles: string[]; Processes: string[][] }>(`/containers/${seg(id)}/top`).then(
        (t) => !stop && (setTop(t), setError(undefined)),
        (e: Error) => !stop && setError(e.message),
      );
    void load();
    const timer = setInterval(load, 5000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [id]);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!top) return <p>Loading…</p>;
  return (
    <div class="table-wrap">
      <table class="top">
        <thead>
          <tr>
            {top.Titles.map((t) => (
              <th key={t} scope="col">
                {t}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {top.Processes.map((p, i) => (
            <tr key={i}>
              {p.map((v, j) => (
                <td key={j}>{v}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
