import type { Service } from "../model.js";

/**
 * Run `fn` for every service as soon as the services it depends on are
 * done (reverse: as soon as the services depending on it are done), all
 * independent services in parallel. The first failure rejects the whole
 * walk once the running steps settle; steps not yet started are skipped.
 */
export async function walkServices(services: Record<string, Service>, fn: (s: Service) => Promise<void>, reverse = false, containerRefsOnly = false): Promise<void> {
  const names = Object.keys(services);
  const direct = (n: string): string[] =>
    [...(containerRefsOnly ? [] : Object.keys(services[n].depends_on ?? {})), ...(services[n].volumes_from ?? []).map((v) => v.split(":")[0]), ...(services[n].network_mode?.startsWith("service:") ? [services[n].network_mode!.slice(8)] : [])].filter((d) => d in services && d !== n);
  const depsOf = (n: string): string[] => (reverse ? names.filter((m) => direct(m).includes(n)) : direct(n));
  const done = new Map<string, Promise<void>>();
  let failed: unknown;
  const run = (n: string): Promise<void> => {
    let p = done.get(n);
    if (p) return p;
    p = (async () => {
      await Promise.all(depsOf(n).map(run));
      if (failed) return;
      try {
        await fn(services[n]);
      } catch (err) {
        failed ??= err;
        throw err;
      }
    })();
    p.catch(() => undefined);
    done.set(n, p);
    return p;
  };
  await Promise.allSettled(names.map(run));
  if (failed) throw failed;
}
