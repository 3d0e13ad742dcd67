import { Fragment } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { del, get, post, seg } from "../api";
import { attempt, confirmAction, notify } from "../components/dialogs";
import { useSlashToSearch } from "../components/search-keys";
import { refreshOn } from "../engine-events";
import { ago, bytes, shortId } from "../format";
import type { ImageSummary } from "../types";
import { ImagePull } from "./image-pull";

interface HistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Size: number;
  Tags?: string[] | null;
}

export function Images() {
  const [list, setList] = useState<ImageSummary[]>();
  const [error, setError] = useState<string>();
  const [q, setQ] = useState("");
  const [open, setOpen] = useState<string>();
  const search = useRef<HTMLInputElement>(null);
  useSlashToSearch(search);
  const load = () => get<ImageSummary[]>("/images/json").then((l) => (setList(l), setError(undefined)), (e: Error) => setError(e.message));
  useEffect(() => {
    void load();
    return refreshOn(["image"], () => void load());
  }, []);
  const shown = useMemo(() => (list ?? []).filter((i) => !q || [i.Id, ...(i.RepoTags ?? [])].join(" ").toLowerCase().includes(q.toLowerCase())), [list, q]);
  const remove = async (img: ImageSummary, ref: string) => {
    const untagOnly = (img.RepoTags?.length ?? 0) > 1 && ref !== img.Id;
    const ok = await confirmAction({
      title: untagOnly ? `Remove the tag ${ref}?` : `Remove the image ${ref}?`,
      body: untagOnly ? "The image stays under its other tags." : "Its layers are deleted unless another image uses them. An image used by a container cannot be removed.",
      confirm: "Remove",
      danger: true,
    });
    if (ok && (await attempt(`Remove ${ref}`, () => del(`/images/${seg(ref)}`)))) notify(`Removed ${ref}`);
  };
  const tag = async (img: ImageSummary) => {
    const target = prompt("New tag (repository:tag)")?.trim();
    if (!target) return;
    const colon = target.lastIndexOf(":");
    const [repo, t] = colon > target.lastIndexOf("/") ? [target.slice(0, colon), target.slice(colon + 1)] : [target, "latest"];
    if (await attempt(`Tag ${target}`, () => post(`/images/${seg(img.Id)}/tag`, { repo, tag: t }))) notify(`Tagged ${target}`);
  };
  return (
    <section aria-labelledby="h-images">
      <div class="page-head">
        <h1 id="h-images">Images</h1>
        <div class="filters" role="search">
          <label class="sr-only" for="i-search">
            Search images
          </label>
          <input id="i-search" ref={search} type="search" placeholder="Search tag or ID ( / )" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </div>
      </div>
      <ImagePull onPulled={() => void load()} />
      {error && <p class="error" role="alert">{error}</p>}
      {!list ? (
        <p>Loading…</p>
      ) : (
        <div class="table-wrap">
          <table class="images">
            <thead>
              <tr>
                <th scope="col">Tags</th>
                <th scope="col">ID</th>
                <th scope="col">Size</th>
                <th scope="col" class="wide">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((i) => (
                <Fragment key={i.Id}>
                  <tr>
                    <td>
                      {(i.RepoTags ?? []).length === 0 && <span class="muted">&lt;none&gt;</span>}
                      {(i.RepoTags ?? []).map((t) => (
                        <span key={t} class="tag">
                          {t}
                          <button type="button" class="link" aria-label={`Remove tag ${t}`} title="Remove this tag" onClick={() => void remove(i, t)}>
                            ×
                          </button>
                        </span>
                      ))}
                    </td>
                    <td>
                      <code>{shortId(i.Id)}</code>
                    </td>
                    <td>{bytes(i.Size)}</td>
                    <td class="wide muted">{ago(i.Created)}</td>
                    <td class="actions">
                      <button type="button" class="small" aria-expanded={open === i.Id} onClick={() => setOpen(open === i.Id ? undefined : i.Id)}>
                        Layers
                      </button>
                      <button type="button" class="small" onClick={() => void tag(i)}>
                        Tag
                      </button>
                      <button type="button" class="small danger" onClick={() => void remove(i, i.Id)}>
                        Remove
                      </button>
                    </td>
                  </tr>
                  {open === i.Id && (
                    <tr class="expanded">
                      <td colSpan={5}>
                        <History id={i.Id} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function History({ id }: { id: string }) {
  const [h, setH] = useState<HistoryItem[]>();
  const [error, setError] = useState<string>();
  useEffect(() => void get<HistoryItem[]>(`/images/${seg(id)}/history`).then(setH, (e: Error) => setError(e.message)), [id]);
  if (error) return <p class="error">{error}</p>;
  if (!h) return <p>Loading…</p>;
  return (
    <table class="history">
      <caption>Layers and history ({h.length} steps)</caption>
      <thead>
        <tr>
          <th scope="col">Created by</th>
          <th scope="col">Size</th>
          <th scope="col" class="wide">Created</th>
        </tr>
      </thead>
      <tbody>
        {h.map((x, n) => (
          <tr key={n}>
            <td>
              <code class="created-by">{x.CreatedBy}</code>
            </td>
            <td>{bytes(x.Size)}</td>
            <td class="wide muted">{ago(x.Created)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
