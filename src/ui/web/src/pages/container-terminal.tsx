import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "preact/hooks";
import { csrfToken, post, seg } from "../api";

/**
 * `docker exec -it CONTAINER SHELL` in the page: the exec is created through
 * the API, then its TTY stream runs over a websocket (`/ui/exec/ID`).
 */
export function ContainerTerminal({ id }: { id: string }) {
  const [shell, setShell] = useState("sh");
  const [session, setSession] = useState(0);
  const [status, setStatus] = useState("");
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!session) return;
    const term = new Terminal({ cursorBlink: true, fontSize: 14, fontFamily: "DejaVu Sans Mono, monospace", convertEol: false });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box.current!);
    fit.fit();
    let ws: WebSocket | undefined;
    let closed = false;
    const enc = new TextEncoder();
    (async () => {
      setStatus("starting…");
      const exec = await post<{ Id: string }>(`/containers/${seg(id)}/exec`, undefined, {
        AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true,
        Cmd: [shell], Env: ["TERM=xterm-256color"], ConsoleSize: [term.rows, term.cols],
      });
      if (closed) return;
      const proto = location.protocol === "https:" ? "wss" : "ws";
      ws = new WebSocket(`${proto}://${location.host}/ui/exec/${exec.Id}?csrf=${encodeURIComponent(csrfToken())}`);
      ws.binaryType = "arraybuffer";
      ws.onopen = () => {
        setStatus("connected");
        ws!.send(JSON.stringify({ resize: [term.rows, term.cols] }));
        term.focus();
      };
      ws.onmessage = (e) => term.write(typeof e.data === "string" ? e.data : new Uint8Array(e.data as ArrayBuffer));
      ws.onclose = (e) => setStatus(e.reason ? `closed: ${e.reason}` : "closed");
    })().catch((err: Error) => setStatus(`could not start ${shell}: ${err.message}`));
    const input = term.onData((d) => ws?.readyState === WebSocket.OPEN && ws.send(enc.encode(d)));
    const resized = term.onResize(({ rows, cols }) => ws?.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ resize: [rows, cols] })));
    const ro = new ResizeObserver(() => fit.fit());
    ro.observe(box.current!);
    return () => {
      closed = true;
      ro.disconnect();
      input.dispose();
      resized.dispose();
      ws?.close();
      term.dispose();
    };
  }, [session, id]);
  return (
    <div class="terminal-view">
      <form class="toolbar" onSubmit={(e) => (e.preventDefault(), setSession((n) => n + 1))}>
        <label for="term-shell">Command</label>
        <input id="term-shell" value={shell} onInput={(e) => setShell((e.target as HTMLInputElement).value)} />
        <button type="submit" class="primary">
          {session ? "Reconnect" : "Connect"}
        </button>
        <span class="muted" aria-live="polite">
          {status}
        </span>
      </form>
      <div class="terminal" ref={box} aria-label="Terminal" />
      {!session && <p class="muted">Opens an interactive shell in the container (exec -it). Esc and Tab go to the terminal while it has focus.</p>}
    </div>
  );
}
