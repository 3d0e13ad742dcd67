import type { Route, RequestContext } from "../../router.js";
import { API_VERSION, versionLessThan } from "../../version.js";
import { parseTimestamp, validateFilterKeys, type Filters } from "../../../lib/filters.js";
import type { EngineEvent } from "../../../daemon/events/event-bus.js";
import type { SystemBackend } from "./backend.js";

function ping(ctx: RequestContext): void {
  const res = ctx.res!;
  res.setHeader("API-Version", API_VERSION);
  res.setHeader("Builder-Version", "1");
  res.setHeader("OSType", "linux");
  res.setHeader("Docker-Experimental", "false");
  res.setHeader("Cache-Control", "no-cache, no-store, must-revalidate");
  res.setHeader("Pragma", "no-cache");
  if (ctx.req.method === "HEAD") {
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": "0" });
    res.end();
    return;
  }
  ctx.sendText(200, "OK");
}

const EVENT_FILTERS = ["container", "daemon", "event", "image", "label", "network", "node", "plugin", "scope", "secret", "service", "type", "volume", "config"];

export function eventMatches(ev: EngineEvent, f: Filters): boolean {
  const one = (key: string, value: string | undefined) => {
    const want = f.get(key);
    return !want?.length || (value !== undefined && want.includes(value));
  };
  if (!one("type", ev.Type)) return false;
  const action = ev.Action.split(":")[0];
  const events = f.get("event");
  if (events?.length && !events.includes(ev.Action) && !events.includes(action)) return false;
  const named = (key: string) => {
    const want = f.get(key);
    if (!want?.length) return true;
    if (ev.Type !== key) return false;
    return want.some((w) => ev.Actor.ID.startsWith(w) || ev.Actor.Attributes.name === w);
  };
  if (!named("container") || !named("network") || !named("volume")) return false;
  const images = f.get("image");
  if (images?.length && !images.some((i) => ev.Actor.Attributes.image === i || ev.Actor.ID === i || (ev.Type === "image" && ev.Actor.Attributes.name === i))) return false;
  for (const l of f.get("label") ?? []) {
    const [k, v] = l.split("=", 2);
    if (v === undefined ? !(k in ev.Actor.Attributes) : ev.Actor.Attributes[k] !== v) return false;
  }
  return one("scope", ev.scope);
}

/**
 * `GET /info` as an older client expects it (dockerd's router): below API 1.25 an
 * `ExecutionDriver` field ("<not supported>") and security options by name only.
 */
export function infoForVersion<T extends { SecurityOptions?: string[] }>(info: T, apiVersion: string): T & { ExecutionDriver?: string } {
  if (!versionLessThan(apiVersion, "1.25")) return info;
  const names = (info.SecurityOptions ?? []).map((o) => /(?:^|,)name=([^,]*)/.exec(o)?.[1] ?? o);
  return { ...info, ExecutionDriver: "<not supported>", SecurityOptions: names };
}

/** _ping, version, info, events. */
export function systemRoutes(b: SystemBackend): Route[] {
  return [
    { method: "GET", path: "/_ping", handler: ping },
    { method: "HEAD", path: "/_ping", handler: ping },
    { method: "GET", path: "/version", handler: async (ctx) => ctx.sendJson(200, await b.version()) },
    { method: "GET", path: "/info", handler: async (ctx) => ctx.sendJson(200, infoForVersion(await b.info(), ctx.apiVersion)) },
    {
      method: "GET",
      path: "/events",
      handler: async (ctx) => {
        const f = ctx.filters();
        validateFilterKeys(f, EVENT_FILTERS);
        const since = ctx.str("since");
        const until = ctx.str("until");
        const sinceMs = since ? parseTimestamp(since) : undefined;
        const untilMs = until ? parseTimestamp(until) : undefined;
        const res = ctx.stream(200, "application/json");
        const write = (ev: EngineEvent) => {
          if (eventMatches(ev, f)) res.write(JSON.stringify(ev) + "\n");
        };
        if (sinceMs !== undefined) for (const ev of b.eventHistory(sinceMs)) if (untilMs === undefined || ev.timeNano / 1e6 <= untilMs) write(ev);
        if (untilMs !== undefined && untilMs <= Date.now()) return void res.end();
        await new Promise<void>((resolve) => {
          const off = b.subscribe(write);
          let timer: NodeJS.Timeout | undefined;
          const stop = () => {
            off();
            ctx.req.socket.off("close", stop);
            if (timer) clearTimeout(timer);
            resolve();
          };
          ctx.req.socket.once("close", stop);
          if (untilMs !== undefined) timer = setTimeout(stop, untilMs - Date.now());
        });
        res.end();
      },
    },
  ];
}
