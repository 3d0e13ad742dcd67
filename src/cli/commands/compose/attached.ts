import type { CliContext } from "../../context.js";
import type { ComposeContext } from "../../../compose/ops/context.js";
import { streamLogs, shortName } from "../../../compose/ops/logs.js";
import { projectContainers } from "../../../compose/ops/observed.js";
import { stopServices } from "../../../compose/ops/lifecycle.js";
import { selectServices, type UpOptions } from "../../../compose/ops/up.js";
import { LogPrinter } from "./log-printer.js";
import { globalsOf } from "./project.js";

/**
 * Attached `up`: follow every container's output with compose's
 * prefixes until all have exited; Ctrl+C stops the project gracefully
 * (130), `--abort-on-container-exit` stops it at the first exit and
 * returns that exit code (or the `--exit-code-from` service's).
 */
export async function attachAndWait(ctx: CliContext, cctx: ComposeContext, o: UpOptions, a: { abort: boolean; exitFrom?: string; prefix: boolean; color: boolean; timestamps: boolean }): Promise<number> {
  const services = Object.keys(selectServices(cctx, o.services, o.noDeps));
  const containers = await projectContainers(cctx, { oneoff: false, services });
  const names = containers.map((c) => shortName(c, cctx.project.name));
  const printer = new LogPrinter(ctx.io, names, { color: a.color && globalsOf(ctx).color, prefix: a.prefix });
  ctx.io.stdout.write(`Attaching to ${names.join(", ")}\n`);
  const stopAll = new AbortController();
  let exitCode: number | undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = (why?: string) => {
    if (stopping) return stopping;
    if (why) ctx.io.stdout.write(why);
    stopping = stopServices({ ...cctx, report: { ...cctx.report, progress: () => undefined } }, services, o.timeout).finally(() => stopAll.abort());
    return stopping;
  };
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) {
      stopAll.abort();
      return;
    }
    exitCode = 130;
    void shutdown("Gracefully stopping... (press Ctrl+C again to force)\n");
  };
  process.on("SIGINT", onSigint);
  try {
    await Promise.all(
      containers.map(async (c) => {
        const name = shortName(c, cctx.project.name);
        await streamLogs(cctx, [c], { follow: true, tail: "all", timestamps: a.timestamps }, (l) => printer.line(l), stopAll.signal);
        if (stopAll.signal.aborted && !stopping) return;
        const st = ((await cctx.client.containerInspect(c.Id).catch(() => ({}))) as { State?: { ExitCode?: number; Running?: boolean } }).State;
        if (st?.Running) return;
        const code = st?.ExitCode ?? 0;
        printer.event(name, `exited with code ${code}`);
        if (a.exitFrom ? c.service === a.exitFrom : a.abort && exitCode === undefined) exitCode ??= code;
        if (a.abort && !stopping) await shutdown("Aborting on container exit...\n");
      }),
    );
    await stopping;
  } finally {
    process.off("SIGINT", onSigint);
  }
  if (a.exitFrom && exitCode === undefined) {
    const c = (await projectContainers(cctx, { oneoff: false, services: [a.exitFrom] }))[0];
    const st = c ? ((await cctx.client.containerInspect(c.Id)) as { State?: { ExitCode?: number } }).State : undefined;
    exitCode = st?.ExitCode ?? 0;
  }
  return exitCode ?? 0;
}
