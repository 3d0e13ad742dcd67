import { useState } from "preact/hooks";
import { streamJson, withQuery } from "../api";
import { notify } from "../components/dialogs";

/** `docker pull`'s reference split the way the CLI sends it: fromImage and tag (or digest). */
export function splitReference(ref: string): { fromImage: string; tag?: string } {
  const at = ref.indexOf("@");
  if (at >= 0) return { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) };
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > slash) return { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { fromImage: ref, tag: "latest" };
}

interface Layer {
  status: string;
  current: number;
  total: number;
}

/** Pull form with a progress bar over all layers' bytes. */
export function ImagePull({ onPulled }: { onPulled: () => void }) {
  const [ref, setRef] = useState("");
  const [busy, setBusy] = useState(false);
  const [layers, setLayers] = useState<Record<string, Layer>>({});
  const [lines, setLines] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const pull = async (e: Event) => {
    e.preventDefault();
    const r = ref.trim();
    if (!r) return;
    setBusy(true);
    setLayers({});
    setLines([]);
    setError(undefined);
    const acc: Record<string, Layer> = {};
    try {
      await streamJson("POST", withQuery("/images/create", splitReference(r)), (m) => {
        if (m.error || m.errorDetail) throw new Error(m.errorDetail?.message ?? m.error);
        // "Pulling from REPO" carries the tag as its id: a heading, not a layer.
        if (m.id && m.status && !/^Pulling from /.test(m.status)) {
          const l = (acc[m.id] ??= { status: "", current: 0, total: 0 });
          l.status = m.status;
          if (m.progressDetail?.total) l.total = m.progressDetail.total;
          if (m.progressDetail?.current !== undefined) l.current = m.progressDetail.current;
          if (/^(Pull complete|Already exists|Download complete)/.test(m.status) && l.total) l.current = l.total;
          setLayers({ ...acc });
        } else if (m.status) setLines((ls) => [...ls, String(m.status)]);
      });
      notify(`Pulled ${r}`);
      onPulled();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const all = Object.values(layers);
  const total = all.reduce((a, l) => a + l.total, 0);
  const current = all.reduce((a, l) => a + Math.min(l.current, l.total || l.current), 0);
  const done = all.length > 0 && all.every((l) => /complete|exists/i.test(l.status));
  const value = done ? 100 : total ? Math.floor((current / total) * 100) : 0;
  return (
    <form class="pull" onSubmit={pull} aria-label="Pull an image">
      <label for="pull-ref">Pull an image</label>
      <input id="pull-ref" placeholder="registry:5000/name:tag" value={ref} onInput={(e) => setRef((e.target as HTMLInputElement).value)} disabled={busy} />
      <button type="submit" class="primary" disabled={busy || !ref.trim()}>
        {busy ? "Pulling…" : "Pull"}
      </button>
      {(busy || all.length > 0) && (
        <div class="pull-progress">
          <progress max={100} value={value} aria-label={`Pull progress ${value}%`} />
          <span>
            {value} % · {all.length} layers
          </span>
        </div>
      )}
      {lines.length > 0 && <p class="muted pull-status">{lines.at(-1)}</p>}
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}
