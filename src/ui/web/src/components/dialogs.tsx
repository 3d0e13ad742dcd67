import { useEffect, useRef, useState } from "preact/hooks";

// One confirmation dialog for every action that changes or removes
// something. A native <dialog>: focus moves into it, Esc cancels.

interface Ask {
  title: string;
  body?: string;
  confirm: string;
  danger?: boolean;
  resolve(ok: boolean): void;
}

let show: (a: Ask) => void = () => undefined;

export function confirmAction(o: { title: string; body?: string; confirm: string; danger?: boolean }): Promise<boolean> {
  return new Promise((resolve) => show({ ...o, resolve }));
}

export function ConfirmHost() {
  const [ask, setAsk] = useState<Ask | undefined>();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    show = (a) => setAsk(a);
  }, []);
  useEffect(() => {
    if (ask && ref.current && !ref.current.open) ref.current.showModal();
  }, [ask]);
  const done = (ok: boolean) => {
    ask?.resolve(ok);
    ref.current?.close();
    setAsk(undefined);
  };
  return (
    <dialog ref={ref} class="confirm" aria-labelledby="confirm-title" onCancel={(e) => (e.preventDefault(), done(false))}>
      {ask && (
        <form method="dialog" onSubmit={(e) => (e.preventDefault(), done(true))}>
          <h2 id="confirm-title">{ask.title}</h2>
          {ask.body && <p>{ask.body}</p>}
          <div class="buttons">
            <button type="button" onClick={() => done(false)}>
              Cancel
            </button>
            <button type="submit" class={ask.danger ? "danger" : "primary"} autoFocus>
              {ask.confirm}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

interface Toast {
  id: number;
  text: string;
  kind: "error" | "info";
}

let push: (t: Omit<Toast, "id">) => void = () => undefined;
let toastId = 1;

export function notify(text: string, kind: "error" | "info" = "info"): void {
  push({ text, kind });
}

export function ToastHost() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    push = (t) => {
      const id = toastId++;
      setToasts((ts) => [...ts.slice(-4), { ...t, id }]);
      setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== id)), t.kind === "error" ? 10_000 : 4_000);
    };
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} class={`toast ${t.kind}`}>
          {t.text}
          <button type="button" class="link" aria-label="Dismiss" onClick={() => setToasts((ts) => ts.filter((x) => x.id !== t.id))}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/** Run an action; report its failure as a toast (the daemon's message says what to do). */
export async function attempt<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    notify(`${what}: ${(err as Error).message}`, "error");
    return undefined;
  }
}
