import type { ContainerSummary, Port } from "../../../client/types.js";
import { registerFormatContext } from "../../format/go-template.js";
import { humanDuration } from "../../format/human.js";
import { parseReference, familiarName } from "../shared/reference.js";
import { ellipsis, goQuote, goTimeString, humanSizeWithPrecision, truncateId } from "../shared/text.js";

/**
 * One `ps` row with the fields docker's container formatter exposes to
 * templates (.ID, .Image, .Command, ...). Keys are in the alphabetical
 * order docker's `{{json .}}` prints; `Label` is a template function.
 */
export interface ContainerRow {
  Command: string;
  CreatedAt: string;
  ID: string;
  Image: string;
  Labels: string;
  LocalVolumes: string;
  Mounts: string;
  Names: string;
  Networks: string;
  Platform: { architecture: string; os: string; variant?: string } | null;
  Ports: string;
  RunningFor: string;
  Size: string;
  State: string;
  Status: string;
  Label: (name: string) => string;
}

export const DEFAULT_PS_TABLE = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

export const CONTAINER_HEADERS: Record<string, unknown> = {
  ID: "CONTAINER ID",
  Image: "IMAGE",
  Command: "COMMAND",
  CreatedAt: "CREATED AT",
  RunningFor: "CREATED",
  Ports: "PORTS",
  State: "STATE",
  Status: "STATUS",
  Size: "SIZE",
  Names: "NAMES",
  Labels: "LABELS",
  // docker's header for .Label "a.b-c" is the key's last dot part, dashes/underscores as spaces ("b c")
  Label: (name: string) => (name.split(".").pop() ?? "").replace(/[-_]/g, " "),
  Mounts: "MOUNTS",
  LocalVolumes: "LOCAL VOLUMES",
  Networks: "NETWORKS",
  Platform: "PLATFORM",
};

export function containerRow(c: ContainerSummary, opts: { trunc: boolean; now: number }): ContainerRow {
  const labels = c.Labels ?? {};
  const row: ContainerRow = {
    Command: goQuote(opts.trunc ? ellipsis(c.Command ?? "", 20) : (c.Command ?? "")),
    CreatedAt: goTimeString(c.Created),
    ID: opts.trunc ? truncateId(c.Id) : c.Id,
    Image: imageColumn(c, opts.trunc),
    Labels: Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(","),
    LocalVolumes: String((c.Mounts ?? []).filter((m) => m.Driver === "local").length),
    Mounts: (c.Mounts ?? []).map((m) => (opts.trunc ? ellipsis(m.Name || m.Source || "", 15) : m.Name || m.Source || "")).join(","),
    Names: namesColumn(c.Names ?? [], opts.trunc),
    Networks: Object.keys(c.NetworkSettings?.Networks ?? {}).sort().join(","),
    Platform: platformOf(c),
    Ports: displayablePorts(c.Ports ?? []),
    RunningFor: `${humanDuration(Math.max(0, opts.now - c.Created * 1000))} ago`,
    Size: sizeColumn(c),
    State: c.State,
    Status: c.Status,
    Label: (name: string) => labels[name] ?? "",
  };
  // docker marshals formatter contexts as sorted maps without argument-taking methods
  registerFormatContext(row);
  return row;
}

function platformOf(c: ContainerSummary): ContainerRow["Platform"] {
  const p = c.ImageManifestDescriptor?.platform;
  if (!p?.os) return null;
  return { architecture: p.architecture ?? "", os: p.os, ...(p.variant ? { variant: p.variant } : {}) };
}

function sizeColumn(c: ContainerSummary): string {
  const rw = humanSizeWithPrecision(c.SizeRw ?? 0, 3);
  return (c.SizeRootFs ?? 0) > 0 ? `${rw} (virtual ${humanSizeWithPrecision(c.SizeRootFs ?? 0, 3)})` : rw;
}

/** Names without the leading "/"; truncated output shows only the first name that is not a link. */
function namesColumn(names: string[], trunc: boolean): string {
  const stripped = names.map((n) => (n.startsWith("/") ? n.slice(1) : n));
  if (trunc) {
    const own = stripped.find((n) => !n.includes("/"));
    if (own !== undefined) return own;
  }
  return stripped.join(",");
}

function imageColumn(c: ContainerSummary, trunc: boolean): string {
  if (!c.Image) return "<no image>";
  if (!trunc) return c.Image;
  const short = truncateId(c.ImageID ?? "");
  if (short && short === truncateId(c.Image)) return short;
  const ref = parseReference(c.Image);
  if (!ref) return c.Image;
  return ref.tag ? `${familiarName(ref.name)}:${ref.tag}` : familiarName(ref.name);
}

/** docker's DisplayablePorts: consecutive ports grouped into ranges, host mappings last. */
export function displayablePorts(input: Port[]): string {
  const ports = [...input].sort((a, b) =>
    a.PrivatePort !== b.PrivatePort ? a.PrivatePort - b.PrivatePort
      : (a.IP ?? "") !== (b.IP ?? "") ? ((a.IP ?? "") < (b.IP ?? "") ? -1 : 1)
      : (a.PublicPort ?? 0) !== (b.PublicPort ?? 0) ? (a.PublicPort ?? 0) - (b.PublicPort ?? 0)
      : a.Type < b.Type ? -1 : a.Type > b.Type ? 1 : 0,
  );
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  for (const p of ports) {
    const current = p.PrivatePort;
    let key: string = p.Type;
    if (p.IP) {
      if ((p.PublicPort ?? 0) !== current) {
        hostMappings.push(`${joinHostPort(p.IP, String(p.PublicPort ?? 0))}->${p.PrivatePort}/${p.Type}`);
        continue;
      }
      key = `${p.IP}/${p.Type}`;
    }
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { first: current, last: current });
      continue;
    }
    if (current === g.last + 1) {
      g.last = current;
      continue;
    }
    result.push(formGroup(key, g.first, g.last));
    groups.set(key, { first: current, last: current });
  }
  for (const [key, g] of groups) result.push(formGroup(key, g.first, g.last));
  return [...result, ...hostMappings].join(", ");
}

function formGroup(key: string, first: number, last: number): string {
  const slash = key.lastIndexOf("/");
  const ip = slash >= 0 ? key.slice(0, slash) : "";
  const type = slash >= 0 ? key.slice(slash + 1) : key;
  let group = first === last ? String(first) : `${first}-${last}`;
  if (ip) group = `${joinHostPort(ip, group)}->${group}`;
  return `${group}/${type}`;
}

function joinHostPort(host: string, port: string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
