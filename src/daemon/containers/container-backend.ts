import type { Duplex, Writable } from "node:stream";
import type { ContainersBackend } from "../../api/routes/containers/backend.js";
import { matchLabels, parseTimestamp, validateFilterKeys, type Filters } from "../../lib/filters.js";
import type { ContainerService } from "./container-service.js";
import type { CreateRequest } from "./create.js";
import type { PlatformSpec } from "../../image/platform-spec.js";
import { inspectContainer } from "./inspect.js";
import { containerSummary, selectContainers } from "./list.js";
import { parseLogOptions } from "./logs.js";
import { streamLogs } from "../../logging/read-logs.js";
import { dirSize } from "../../snapshot/dir-size.js";
import { isRunning } from "./state.js";
import type { ContainerRecord } from "./types.js";

/** Adapts the container service (lifecycle) plus read-side views to what the routes need. */
export class ContainerBackend implements ContainersBackend {
  constructor(
    private readonly svc: ContainerService,
    private readonly imageIdOf: (ref: string) => Promise<string | undefined>,
  ) {}

  private get deps() {
    return this.svc.deps;
  }

  create(body: unknown, name: string | undefined, platform?: PlatformSpec) {
    return this.svc.create(body as CreateRequest, name, platform);
  }
  start(ref: string) {
    return this.svc.start(ref);
  }
  stop(ref: string, o: { signal?: string; timeout?: number }) {
    return this.svc.stop(ref, o);
  }
  kill(ref: string, signal?: string) {
    return this.svc.kill(ref, signal);
  }
  restart(ref: string, o: { signal?: string; timeout?: number }) {
    return this.svc.restart(ref, o);
  }
  remove(ref: string, o: { force?: boolean; volumes?: boolean }) {
    return this.svc.remove(ref, o);
  }
  removeLink(parent: string, alias: string) {
    return this.svc.removeLink(parent, alias);
  }
  rename(ref: string, name: string) {
    return this.svc.rename(ref, name);
  }
  wait(ref: string, condition: "not-running" | "next-exit" | "removed", registered: () => void, aborted: Promise<void>) {
    return this.svc.wait(ref, condition, registered, aborted);
  }
  pause(ref: string) {
    return this.svc.pause(ref);
  }
  unpause(ref: string) {
    return this.svc.unpause(ref);
  }
  top(ref: string, psArgs: string) {
    return this.svc.top(ref, psArgs);
  }
  resize(ref: string, h: number, w: number) {
    this.svc.resize(ref, h, w);
  }
  isTty(ref: string): boolean {
    return !!this.svc.get(ref).config.Tty;
  }

  private async sizes(c: ContainerRecord): Promise<{ rw: number; rootFs: number }> {
    const rw = await this.deps.rootfs.usage(c.id).catch(() => 0);
    let lower = 0;
    for (const d of c.layers?.lowerDirs ?? []) lower += await dirSize(d);
    return { rw, rootFs: rw + lower };
  }

  async list(opts: { all: boolean; limit?: number; size: boolean; filters: Filters }): Promise<unknown[]> {
    const ancestors = new Map<string, string | undefined>();
    for (const a of opts.filters.get("ancestor") ?? []) ancestors.set(a, await this.imageIdOf(a));
    const selected = selectContainers(this.deps.store.all(), opts, (r) => this.deps.store.find(r), (a, c) => c.image === a || (!!ancestors.get(a) && ancestors.get(a) === c.imageId));
    const out: unknown[] = [];
    // Like dockerd, show the image ID once the container's image name no longer points at its image (untagged, retagged).
    const current = new Map<string, string | undefined>();
    // Like dockerd, a linked container is also listed under its link names ("/parent/alias").
    const linkNames = new Map<string, string[]>();
    for (const p of this.deps.store.all()) {
      for (const l of p.hostConfig.Links ?? []) {
        const i = l.indexOf(":");
        if (i > 0) linkNames.set(l.slice(0, i), [...(linkNames.get(l.slice(0, i)) ?? []), l.slice(i + 1)]);
      }
    }
    for (const c of selected) {
      if (!current.has(c.image)) current.set(c.image, await this.imageIdOf(c.image).catch(() => undefined));
      const summary = containerSummary(c, opts.size ? await this.sizes(c) : undefined);
      if (linkNames.has(c.name)) summary.Names = [...(summary.Names as string[]), ...linkNames.get(c.name)!];
      if (current.get(c.image) !== c.imageId) summary.Image = c.imageId;
      for (const ext of this.deps.extensions) ext.summary?.(c, summary);
      out.push(summary);
    }
    return out;
  }

  async inspect(ref: string, size: boolean): Promise<unknown> {
    const c = this.svc.get(ref);
    const out = inspectContainer(c, { containerDir: this.deps.store.dir(c.id), logPath: "", graph: c.layers }, size ? await this.sizes(c) : undefined);
    for (const ext of this.deps.extensions) ext.inspect?.(c, out);
    return out;
  }

  async attach(ref: string, socket: Duplex, o: { stdin: boolean; stdout: boolean; stderr: boolean; logs: boolean; stream: boolean; detachKeys?: string; raw?: boolean }): Promise<void> {
    const c = this.svc.get(ref);
    if (o.logs) {
      const run = await this.logs(c.id, { stdout: o.stdout, stderr: o.stderr, follow: false, timestamps: false }, o.raw);
      // Stop replaying only when the client goes away (an already-settled promise would stop at once).
      const closed = new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once("close", () => resolve())));
      await run(socket, closed);
    }
    if (!o.stream) {
      socket.end();
      return;
    }
    this.svc.attach(c.id, socket, o);
  }

  async logs(ref: string, q: { stdout: boolean; stderr: boolean; follow: boolean; timestamps: boolean; tail?: string; since?: string; until?: string }, raw = false) {
    const c = this.svc.get(ref);
    const opts = parseLogOptions(q, !!c.config.Tty || raw);
    const { base, format } = this.deps.logs.reader(c);
    return async (out: Writable, closed: Promise<void>) => {
      const stopped = isRunning(c.state.status)
        ? new Promise<void>((resolve) => {
            const live = this.svc.liveOf(c.id);
            live.onNextExit(() => resolve());
            live.onRemoved(() => resolve());
          })
        : Promise.resolve();
      await streamLogs(base, format, out, opts, stopped, closed);
    };
  }

  async prune(filters: Filters): Promise<{ ContainersDeleted: string[]; SpaceReclaimed: number }> {
    validateFilterKeys(filters, ["until", "label", "label!"]);
    const until = filters.get("until")?.[0];
    const untilMs = until ? parseTimestamp(until) : undefined;
    const deleted: string[] = [];
    let space = 0;
    for (const c of this.deps.store.all()) {
      if (isRunning(c.state.status)) continue;
      if (untilMs !== undefined && Date.parse(c.created) >= untilMs) continue;
      if (!matchLabels(c.config.Labels, filters.get("label"))) continue;
      const notLabels = filters.get("label!");
      if (notLabels?.length && notLabels.some((l) => matchLabels(c.config.Labels, [l]))) continue;
      space += await this.deps.rootfs.usage(c.id).catch(() => 0);
      await this.svc.remove(c.id, {});
      deleted.push(c.id);
    }
    return { ContainersDeleted: deleted, SpaceReclaimed: space };
  }
}

