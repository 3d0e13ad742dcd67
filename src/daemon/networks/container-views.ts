import type { ContainerRecord } from "../containers/types.js";
import type { NetworkStore } from "./network-store.js";
import type { EndpointConfig, EndpointRecord } from "./types.js";

/** One EndpointSettings (inspect and ps): live values while running, the configuration otherwise. */
function endpointSettings(cfg: EndpointConfig, ep: EndpointRecord | undefined, networkId: string): Record<string, unknown> {
  return {
    IPAMConfig: cfg.IPAMConfig ?? null,
    Links: null,
    Aliases: cfg.Aliases?.length ? cfg.Aliases : null,
    MacAddress: ep?.mac ?? cfg.MacAddress ?? "",
    DriverOpts: cfg.DriverOpts ?? null,
    GwPriority: 0,
    NetworkID: networkId,
    EndpointID: ep?.endpointId ?? "",
    Gateway: ep?.gateway ?? "",
    IPAddress: ep?.ip ?? "",
    IPPrefixLen: ep?.prefix ?? 0,
    IPv6Gateway: ep?.gateway6 ?? "",
    GlobalIPv6Address: ep?.ip6 ?? "",
    GlobalIPv6PrefixLen: ep?.prefix6 ?? 0,
    DNSNames: ep?.dnsNames.length ? ep.dnsNames : null,
  };
}

function networksOf(c: ContainerRecord, store: NetworkStore, eps: Record<string, EndpointConfig>): Record<string, Record<string, unknown>> {
  const sb = store.sandbox(c.id);
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, cfg] of Object.entries(eps)) {
    const id = cfg.NetworkID ?? store.findNetwork(name)?.Id ?? "";
    out[name] = endpointSettings(cfg, sb?.endpoints.find((e) => e.networkId === id), id);
  }
  const mode = c.hostConfig.NetworkMode ?? "bridge";
  if (mode === "host" || mode === "none") {
    const n = store.findNetwork(mode);
    out[mode] = endpointSettings({}, undefined, n?.Id ?? "");
  }
  return out;
}

/** NetworkSettings.Ports: every exposed or published port, with its host bindings while running. */
function portMap(c: ContainerRecord, store: NetworkStore): Record<string, { HostIp: string; HostPort: string }[] | null> {
  const out: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  const sb = store.sandbox(c.id);
  if (!sb) return out;
  for (const k of Object.keys(c.config.ExposedPorts ?? {})) out[k.includes("/") ? k : `${k}/tcp`] = null;
  for (const m of sb.ports) (out[`${m.containerPort}/${m.proto}`] ??= [])!.push({ HostIp: m.hostIp, HostPort: String(m.hostPort) });
  return out;
}

export function containerNetworkSettings(c: ContainerRecord, store: NetworkStore, eps: Record<string, EndpointConfig>): Record<string, unknown> {
  const sb = store.sandbox(c.id);
  const networks = networksOf(c, store, eps);
  const bridge = networks.bridge;
  const onBridge = (k: string, dflt: unknown) => (bridge && sb ? bridge[k] : dflt);
  return {
    Bridge: "",
    SandboxID: sb ? c.id : "",
    SandboxKey: sb ? `/run/netns/${sb.netns}` : "",
    Ports: portMap(c, store),
    HairpinMode: false,
    LinkLocalIPv6Address: "",
    LinkLocalIPv6PrefixLen: 0,
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: onBridge("EndpointID", ""),
    Gateway: onBridge("Gateway", ""),
    GlobalIPv6Address: onBridge("GlobalIPv6Address", ""),
    GlobalIPv6PrefixLen: onBridge("GlobalIPv6PrefixLen", 0),
    IPAddress: onBridge("IPAddress", ""),
    IPPrefixLen: onBridge("IPPrefixLen", 0),
    IPv6Gateway: onBridge("IPv6Gateway", ""),
    MacAddress: onBridge("MacAddress", ""),
    Networks: networks,
  };
}

/** The ps entry's Ports (Docker's Port objects) and NetworkSettings.Networks. */
export function containerSummaryNetworks(c: ContainerRecord, store: NetworkStore, eps: Record<string, EndpointConfig>): Record<string, unknown> {
  const sb = store.sandbox(c.id);
  const ports: Record<string, unknown>[] = [];
  const published = new Set<string>();
  for (const m of sb?.ports ?? []) {
    ports.push({ IP: m.hostIp, PrivatePort: m.containerPort, PublicPort: m.hostPort, Type: m.proto });
    published.add(`${m.containerPort}/${m.proto}`);
  }
  for (const k of Object.keys(c.config.ExposedPorts ?? {})) {
    const [p, proto = "tcp"] = k.split("/");
    if (!published.has(`${p}/${proto}`)) ports.push({ PrivatePort: Number(p), Type: proto });
  }
  return { Ports: ports, NetworkSettings: { Networks: networksOf(c, store, eps) } };
}
