import { post, del, seg } from "./api";
import { attempt, confirmAction, notify } from "./components/dialogs";

// Start/stop/… for one container, with a confirmation for anything that
// interrupts or removes it. Used by the list, the detail page and compose.

export type Action = "start" | "stop" | "restart" | "kill" | "pause" | "unpause" | "remove";

export function actionsFor(state: string): Action[] {
  switch (state) {
    case "running":
      return ["stop", "restart", "kill", "pause"];
    case "paused":
      return ["unpause", "kill"];
    case "restarting":
      return ["stop", "kill"];
    default:
      return ["start", "remove"];
  }
}

const WORDS: Record<Action, { verb: string; body: string; danger?: boolean }> = {
  start: { verb: "Start", body: "" },
  stop: { verb: "Stop", body: "It gets SIGTERM (or its stop signal), then SIGKILL after its stop timeout." },
  restart: { verb: "Restart", body: "It is stopped, then started again." },
  kill: { verb: "Kill", body: "It gets SIGKILL at once: it cannot clean up.", danger: true },
  pause: { verb: "Pause", body: "Its processes are frozen until you unpause it." },
  unpause: { verb: "Unpause", body: "" },
  remove: { verb: "Remove", body: "The container and its writable layer are deleted (named volumes stay).", danger: true },
};

export function actionLabel(a: Action): string {
  return WORDS[a].verb;
}

/** Ask when the action interrupts or removes; then call the API. True when done. */
export async function runAction(a: Action, id: string, name: string, ask = true): Promise<boolean> {
  const w = WORDS[a];
  if (ask && w.body && !(await confirmAction({ title: `${w.verb} ${name}?`, body: w.body, confirm: w.verb, danger: w.danger }))) return false;
  const path = `/containers/${seg(id)}`;
  const ok = await attempt(`${w.verb} ${name}`, async () => {
    if (a === "remove") await del(path, { force: false });
    else await post(`${path}/${a}`);
    return true;
  });
  if (ok) notify(`${w.verb}: ${name} done`);
  return !!ok;
}
