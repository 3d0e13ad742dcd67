import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { streamJson, withQuery } from "../api";
import { useSlashToSearch } from "../components/search-keys";
import { onEngineEvent, type EngineEvent } from "../engine-events";

const TYPES = ["all", "container", "image", "volume", "network", "daemon", "plugin", "service", "node", "secret", "config"];
const KEEP = 1000;

/** The engine's events: the last 15 minutes, then live from the tab's stream. */
export function Events() {
  const [events, setEvents] = useState<(EngineEvent & { n: number })[]>([]);
  const [type, setType] = useState("all");
  const [q, setQ] = useState("");
  const [paused, setPaused] = useState(false);
  const pausedRef = useRef(false);
  pausedRef.current = paused;
  const search = useRef<HTMLInputElement>(null);
  useSlashToSearch(search);
  useEffect(() => {
    let n = 0;
    const add = (e: EngineEvent) => setEvents((es) => [{ ...e, n: n++ }, ...es].slice(0, KEEP));
    const now = Math.floor(Date.now() / 1000);
    const past: EngineEvent[] = [];
    const ctl = new AbortController();
    void streamJson("GET", withQuery("/events", { since: now - 900, until: now }), (e) => past.push(e as EngineEvent), ctl.signal)
      .then(() => setEvents((es) => [...es, ...past.reverse().map((e) => ({ ...e, n: n++ }))].slice(0, KEEP)))
      .catch(() => undefined);
    const off = onEngineEvent((e) => !pausedRef.current && add(e));
    return () => {
      ctl.abort();
      off();
    };
  }, []);
  const shown = useMemo(
    () =>
      events.filter((e) => {
        if (type !== "all" && e.Type !== type) return false;
        if (!q) return true;
        const hay = `${e.Type} ${e.Action} ${e.Actor.ID} ${Object.entries(e.Actor.Attributes ?? {}).map(([k, v]) => `${k}=${v}`).join(" ")}`.toLowerCase();
        return hay.includes(q.toLowerCase());
      }),
    [events, type, q],
  );
  return (
    <section aria-labelledby="h-events">
      <div class="page-head">
        <h1 id="h-events">Events</h1>
        <div class="filters" role="search">
          <label class="sr-only" for="e-type">
            Type
          </label>
          <select id="e-type" value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t === "all" ? "all types" : t}
              </option>
            ))}
          </select>
          <label class="sr-only" for="e-search">
            Filter events
          </label>
          <input id="e-search" ref={search} type="search" placeholder="Action, name, attribute… ( / )" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
          <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
            {paused ? "Resume" : "Pause"}
          </button>
        </div>
      </div>
      <div class="table-wrap">
        <table class="events">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Type</th>
              <th scope="col">Action</th>
              <th scope="col">Object</th>
              <th scope="col" class="wide">Attributes</th>
            </tr>
          </thead>
          <tbody aria-live="polite">
            {shown.map((e) => {
              const a = e.Actor.Attributes ?? {};
              return (
                <tr key={e.n}>
                  <td class="muted">{new Date(e.timeNano ? e.timeNano / 1e6 : e.time * 1000).toLocaleTimeString()}</td>
                  <td>{e.Type}</td>
                  <td>{e.Action}</td>
                  <td>{a.name ?? e.Actor.ID.slice(0, 12)}</td>
                  <td class="wide muted attrs">
                    {Object.entries(a)
                      .filter(([k]) => k !== "name")
                      .map(([k, v]) => `${k}=${v}`)
                      .join(" ")}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {shown.length === 0 && <p class="muted">No events yet: they appear here as they happen.</p>}
    </section>
  );
}
