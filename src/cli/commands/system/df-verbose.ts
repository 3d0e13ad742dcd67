import { humanDuration } from "../../format/human.js";
import { renderList } from "../shared/render-list.js";
import { hsize } from "./df.js";

type Obj = Record<string, any>;
const ago = (unixSec: number) => `${humanDuration(Date.now() - unixSec * 1000)} ago`;

/** `system df -v`: the per-object tables docker prints. */
export function dfVerbose(df: Obj): string {
  const images = ((df.Images ?? []) as Obj[]).flatMap((i) => {
    const tags: string[] = i.RepoTags?.length ? i.RepoTags : ["<none>:<none>"];
    return tags.map((t) => {
      const at = t.lastIndexOf(":");
      return {
        Repository: t.slice(0, at), Tag: t.slice(at + 1), ID: String(i.Id).replace(/^sha256:/, "").slice(0, 12), CreatedSince: ago(i.Created),
        Size: hsize(i.Size), SharedSize: hsize(i.SharedSize), UniqueSize: hsize(i.Size - i.SharedSize), Containers: String(i.Containers),
      };
    });
  });
  const containers = ((df.Containers ?? []) as Obj[]).map((c) => ({
    ID: String(c.Id).slice(0, 12), Image: c.Image, Command: `"${String(c.Command).length > 20 ? String(c.Command).slice(0, 19) + "…" : c.Command}"`,
    LocalVolumes: String(((c.Mounts ?? []) as Obj[]).filter((m) => m.Type === "volume").length), Size: hsize(c.SizeRw ?? 0),
    RunningFor: ago(c.Created), Status: c.Status, Names: String(c.Names?.[0] ?? "").replace(/^\//, ""),
  }));
  const volumes = ((df.Volumes ?? []) as Obj[]).map((v) => ({ Name: v.Name, Links: String(v.UsageData?.RefCount ?? 0), Size: hsize(v.UsageData?.Size ?? 0) }));
  let out = "Images space usage:\n\n";
  out += renderList("table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}", images,
    { Repository: "REPOSITORY", Tag: "TAG", ID: "IMAGE ID", CreatedSince: "CREATED", Size: "SIZE", SharedSize: "SHARED SIZE", UniqueSize: "UNIQUE SIZE", Containers: "CONTAINERS" });
  out += "\nContainers space usage:\n\n";
  out += renderList("table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}", containers,
    { ID: "CONTAINER ID", Image: "IMAGE", Command: "COMMAND", LocalVolumes: "LOCAL VOLUMES", Size: "SIZE", RunningFor: "CREATED", Status: "STATUS", Names: "NAMES" });
  out += "\nLocal Volumes space usage:\n\n";
  out += renderList("table {{.Name}}\t{{.Links}}\t{{.Size}}", volumes, { Name: "VOLUME NAME", Links: "LINKS", Size: "SIZE" });
  out += "\nBuild cache usage: 0B\n\n";
  out += renderList("table {{.ID}}\t{{.Type}}\t{{.Size}}\t{{.Created}}\t{{.LastUsed}}\t{{.Usage}}\t{{.Shared}}", [],
    { ID: "CACHE ID", Type: "CACHE TYPE", Size: "SIZE", Created: "CREATED", LastUsed: "LAST USED", Usage: "USAGE", Shared: "SHARED" });
  return out;
}
