import { promises as fs } from "node:fs";
import { ConflictError, ForbiddenError, InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { isRunning } from "../containers/state.js";
import { formatLink, linkEnv, parseLinks } from "./links.js";
import type { SpecInput } from "../../runtime/spec/index.js";
import type { ContainerExtension } from "../containers/extensions.js";
import { etcFilePaths, type EtcContent } from "../containers/etc-files.js";
import type { ContainerRecord } from "../containers/types.js";
import { EMBEDDED_DNS_IP } from "../../network/nat-rules.js";
import { endpointsConfig, netnsName, setEndpointsConfig, usesEmbeddedDns, type ContainerLookup, type Endpoints, type Networking } from "./endpoints.js";
import { extraHostLines, hostsFile, resolvConf } from "../containers/etc-content.js";
import type { NetworkService } from "./network-service.js";
import { containerNetworkSettings, containerSummaryNetworks } from "./container-views.js";

/**
 * Networking's part in the container lifecycle: validate the network mode at
 * create, build the sandbox and /etc files before the runtime starts, tear
 * everything down on exit or removal, re-open proxies after a daemon restart.
 */
export class NetworkExtension implements ContainerExtension {
  readonly name = "network";

  constructor(
    private readonly nets: NetworkService,
    private readonly eps: Endpoints,
    private readonly containers: ContainerLookup & { dir(id: string): string },
  ) {}

  async create(c: ContainerRecord): Promise<void> {
    const hc = c.hostConfig;
    const mode = hc.NetworkMode || "bridge";
    this.validateLinks(c, mode);
    const asked = { ...((c as { networkingConfig?: Networking }).networkingConfig?.EndpointsConfig ?? {}) };
    if (mode === "bridge" && this.nets.bridgeDisabled) {
      // As dockerd with `-b none`: the default (and an explicit `bridge`) means no network but loopback.
      if (Object.keys(asked).some((k) => k !== "bridge" && k !== "default")) throw new InvalidArgumentError("container cannot be connected to multiple networks with one of the networks in private (none) mode");
      hc.NetworkMode = "none";
      setEndpointsConfig(c, {});
      return;
    }
    if (mode === "host" || mode === "none") {
      if (Object.keys(asked).some((k) => k !== mode)) throw new InvalidArgumentError("container cannot be connected to multiple networks with one of the networks in private (none) mode");
      setEndpointsConfig(c, {});
      return;
    }
    if (mode.startsWith("container:")) {
      const ref = mode.slice("container:".length);
      if (!this.containers.find(ref)) throw new NotFoundError(`No such container: ${ref}`);
      if (Object.keys(hc.PortBindings ?? {}).length || hc.PublishAllPorts) throw new InvalidArgumentError("conflicting options: port publishing and the container type network mode");
      setEndpointsConfig(c, {});
      return;
    }
    // Like dockerd, an unknown network fails the start, not the create (a 404 at create would make the CLI try a pull).
    const primary = this.nets.store.findNetwork(mode);
    if (!primary) {
      setEndpointsConfig(c, { [mode]: { ...(asked[mode] ?? {}) } });
      return;
    }
    // Swarm overlays take the cluster's tasks, and other containers only when attachable (as in dockerd).
    const swarmTask = !!c.config.Labels?.["com.docker.swarm.task.id"];
    if (primary.Driver === "overlay" && !swarmTask && !primary.Attachable) throw new ForbiddenError(`Could not attach to network ${mode}: rpc error: code = PermissionDenied desc = network ${mode} not manually attachable`);
    if (primary.Driver !== "bridge" && primary.Driver !== "overlay") throw new InvalidArgumentError(`network ${mode} is not a bridge network`);
    hc.NetworkMode = primary.predefined ? "bridge" : mode;
    const eps: Record<string, Record<string, unknown>> = {};
    const entries = Object.entries(asked);
    const mine = entries.find(([k]) => k === mode || k === "default" || k === primary.Name || k === primary.Id);
    eps[primary.Name] = { ...(mine?.[1] ?? {}), NetworkID: primary.Id };
    for (const [k, v] of entries) {
      if (v === mine?.[1]) continue;
      const n = this.nets.store.getNetwork(k);
      eps[n.Name] = { ...v, NetworkID: n.Id };
    }
    for (const [name, e] of Object.entries(eps)) {
      const ipam = e.IPAMConfig as { IPv4Address?: string; IPv6Address?: string } | undefined;
      if ((ipam?.IPv4Address || ipam?.IPv6Address) && this.nets.store.getNetwork(name).predefined) throw new InvalidArgumentError("user specified IP address is supported on user defined networks only");
      const aliases = e.Aliases as string[] | undefined;
      if (aliases?.length && this.nets.store.getNetwork(name).predefined) throw new InvalidArgumentError("network-scoped alias is supported only for containers in user defined networks");
    }
    if (c.config.MacAddress && !eps[primary.Name].MacAddress) eps[primary.Name].MacAddress = c.config.MacAddress;
    setEndpointsConfig(c, eps);
  }

  /** `--link`: the children exist and share a network mode that allows links; stored as dockerd does ("/child:/parent/alias"). */
  private validateLinks(c: ContainerRecord, mode: string): void {
    const links = parseLinks(c.hostConfig.Links);
    if (!links.length) return;
    if (mode === "host") throw new InvalidArgumentError("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
    if (mode.startsWith("container:")) throw new InvalidArgumentError("conflicting options: container type network can't be used with links. This would result in undefined behavior");
    c.hostConfig.Links = links.map((l) => {
      const child = this.containers.find(l.child);
      if (!child) throw new InvalidArgumentError(`could not get container for ${l.child}: No such container: ${l.child}`);
      if (child.hostConfig.NetworkMode === "host") throw new InvalidArgumentError("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
      return formatLink(child.name, c.name, l.alias);
    });
  }

  /** Legacy links on the default bridge: the children's variables go into the environment; returns their /etc/hosts lines. */
  private applyLinks(c: ContainerRecord, input: SpecInput, bridgeId: string): string {
    const env: string[] = [];
    let hosts = "";
    for (const l of parseLinks(c.hostConfig.Links)) {
      const child = this.containers.find(l.child);
      const linkName = `${c.name}/${l.alias}`;
      if (!child || !isRunning(child.state.status)) throw new ConflictError(`Cannot link to a non running container: /${l.child} AS ${linkName}`);
      const ip = this.nets.store.sandbox(child.id)?.endpoints.find((e) => e.networkId === bridgeId)?.ip;
      if (!ip) throw new ConflictError(`Cannot link to ${child.name}, as it does not belong to the default network`);
      const childName = child.name.slice(1);
      hosts += `${ip}\t${[l.alias, child.config.Hostname ?? child.id.slice(0, 12), ...(l.alias !== childName ? [childName] : [])].join(" ")}\n`;
      env.push(...linkEnv(linkName, ip, child.config.Env ?? [], Object.keys(child.config.ExposedPorts ?? {})));
    }
    // The container's own variables win over the links', as in dockerd.
    if (env.length) input.env = [...env, ...input.env];
    return hosts;
  }

  async prepare(c: ContainerRecord, input: SpecInput, etc: EtcContent): Promise<void> {
    const mode = c.hostConfig.NetworkMode || "bridge";
    const gw = this.nets.defaultBridge()?.IPAM.Config[0]?.Gateway ?? "";
    if (mode === "host") {
      // The host's own /etc/hosts, plus --add-host with host-gateway resolved.
      etc.hosts = (await fs.readFile("/etc/hosts", "utf8").catch(() => "127.0.0.1\tlocalhost\n")) + extraHostLines(c, gw);
      return;
    }
    if (mode === "none") {
      etc.hosts = hostsFile(c, undefined, gw);
      return;
    }
    if (mode.startsWith("container:")) {
      const other = this.containers.find(mode.slice("container:".length));
      if (!other) throw new NotFoundError(`No such container: ${mode.slice("container:".length)}`);
      const sb = this.nets.store.sandbox(other.id);
      if (sb) input.network = { mode: "path", path: `/run/netns/${netnsName(other.id)}` };
      const theirs = etcFilePaths(this.containers.dir(other.id));
      etc.hosts = await fs.readFile(theirs.hosts, "utf8").catch(() => etc.hosts);
      etc.resolvConf = await fs.readFile(theirs.resolvConf, "utf8").catch(() => etc.resolvConf);
      return;
    }
    // Links are checked before anything is set up, so a refused start leaves nothing behind.
    const bridge = this.nets.defaultBridge();
    const linkHosts = mode === "bridge" && bridge ? this.applyLinks(c, input, bridge.Id) : "";
    const path = await this.eps.setup(c);
    input.network = { mode: "path", path };
    const sb = this.nets.store.sandbox(c.id)!;
    const primary = sb.endpoints[0];
    const net = primary && this.nets.store.findNetwork(primary.networkId);
    etc.hosts = hostsFile(c, primary?.ip, gw, linkHosts);
    const daemonDns = this.nets.ctx.cfg.dns;
    if (usesEmbeddedDns(net, this.nets.ctx.cfg.iptables)) {
      etc.resolvConf = resolvConf(c, EMBEDDED_DNS_IP, daemonDns);
      // Answers come back from 127.0.0.11 on eth0: the container's netns must accept a loopback source there.
      input.sysctls = { "net.ipv4.conf.all.route_localnet": "1", ...(input.sysctls ?? {}) };
    } else {
      etc.resolvConf = resolvConf(c, net && !net.predefined ? net.IPAM.Config[0].Gateway : undefined, daemonDns);
    }
  }

  async exited(c: ContainerRecord): Promise<void> {
    await this.eps.teardown(c.id);
  }

  async removed(c: ContainerRecord): Promise<void> {
    await this.eps.teardown(c.id);
  }

  async restored(c: ContainerRecord): Promise<void> {
    await this.eps.restore(c);
  }

  inspect(c: ContainerRecord, out: Record<string, unknown>): void {
    out.NetworkSettings = containerNetworkSettings(c, this.nets.store, endpointsConfig(c));
  }

  summary(c: ContainerRecord, out: Record<string, unknown>): void {
    Object.assign(out, containerSummaryNetworks(c, this.nets.store, endpointsConfig(c)));
  }
}
