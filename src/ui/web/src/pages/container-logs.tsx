import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { subscribe } from "../live";

interface Line {
  n: number;
  s: 1 | 2;
  t: string;
  m: string;
}

const KEEP = 5000;

/** Live logs: the last lines, then new ones as they come; follow, search, timestamps, stderr in its own colour. */
export function ContainerLogs({ id }: { id: string }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [follow, setFollow] = useState(true);
  const [stamps, setStamps] = useState(false);
  const [q, setQ] = useState("");
  const [ended, setEnded] = useState<string>();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let n = 0;
    setLines([]);
    setEnded(undefined);
    const sub = subscribe({ topic: "logs", id, tail: 500 }, (m) => {
      if (m.logs) {
        const add = (m.logs as Omit<Line, "n">[]).map((l) => ({ ...l, n: n++ }));
        setLines((ls) => {
          const next = ls.concat(add);
          return next.length > KEEP ? next.slice(next.length - KEEP) : next;
        });
      }
      if (m.end) setEnded("The log stream ended (the container stopped).");
      if (m.error) setEnded(String(m.error));
    });
    return () => sub.close();
  }, [id]);
  const shown = useMemo(() => {
    const w = q.toLowerCase();
    return w ? lines.filter((l) => l.m.toLowerCase().includes(w)) : lines;
  }, [lines, q]);
  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown, follow]);
  const onScroll = () => {
    const el = box.current!;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
    if (atEnd !== follow) setFollow(atEnd);
  };
  return (
    <div class="logs-view">
      <div class="toolbar">
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow((e.target as HTMLInputElement).checked)} /> Follow
        </label>
        <label>
          <input type="checkbox" checked={stamps} onChange={(e) => setStamps((e.target as HTMLInputElement).checked)} /> Timestamps
        </label>
        <label class="sr-only" for="log-search">
          Search the logs
        </label>
        <input id="log-search" type="search" placeholder="Search the logs" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <span class="muted">
          {q ? `${shown.length} of ${lines.length} lines` : `${lines.length} lines`} · <span class="stdout">stdout</span> <span class="stderr">stderr</span>
        </span>
      </div>
      <div class="logs" ref={box} onScroll={onScroll} tabIndex={0} role="log" aria-label="Container logs" aria-live="off">
        {shown.map((l) => (
          <div key={l.n} class={l.s === 2 ? "stderr" : "stdout"}>
            {stamps && <span class="ts">{l.t} </span>}
            {q ? <Highlight text={l.m} q={q} /> : l.m}
          </div>
        ))}
      </div>
      {ended && <p class="muted">{ended}</p>}
    </div>
  );
}

function Highlight({ text, q }: { text: string; q: string }) {
  const i = text.toLowerCase().indexOf(q.toLowerCase());
  if (i < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, i)}
      <mark>{text.slice(i, i + q.length)}</mark>
      {text.slice(i + q.length)}
    </>
  );
}
