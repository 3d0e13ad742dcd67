import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { EngineClient } from "../../client/engine-client.js";

/**
 * `/ui/exec/{id}`: an in-browser terminal for an exec the page created
 * (`POST /containers/{id}/exec` with Tty, through the API). The exec is
 * started through the API's hijacked stream (`POST /exec/{id}/start`), and
 * its bytes are joined to the websocket: binary frames are the terminal's
 * input and output, a text frame `{"resize":[rows,cols]}` resizes it.
 */
export class TerminalBridge {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  private readonly open = new Set<WebSocket>();

  constructor(private readonly client: EngineClient) {}

  accept(req: IncomingMessage, socket: Duplex, head: Buffer, execId: string): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => void this.serve(ws, execId));
  }

  close(): void {
    for (const ws of this.open) ws.terminate();
    this.wss.close();
  }

  private async serve(ws: WebSocket, execId: string): Promise<void> {
    this.open.add(ws);
    ws.on("close", () => this.open.delete(ws));
    const pending: Buffer[] = [];
    let stream: Duplex | undefined;
    ws.on("message", (data, isBinary) => {
      const buf = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
      if (isBinary) return void (stream ? stream.write(buf) : pending.push(buf));
      try {
        const m = JSON.parse(buf.toString("utf8")) as { resize?: [number, number] };
        const [rows, cols] = m.resize ?? [];
        if (Number.isInteger(rows) && Number.isInteger(cols) && rows! > 0 && cols! > 0) {
          this.client.execResize(execId, rows!, cols!).catch(() => undefined); // the exec may be gone: nothing to resize
        }
      } catch {
        /* not a control message */
      }
    });
    try {
      stream = await this.client.execStartAttached(execId, true);
    } catch (err) {
      ws.close(1011, truncate(`exec ${execId} could not start: ${(err as Error).message}`));
      return;
    }
    if (ws.readyState !== ws.OPEN) return void stream.destroy(); // the tab left while the exec started
    for (const b of pending.splice(0)) stream.write(b);
    stream.on("data", (c: Buffer) => ws.readyState === ws.OPEN && ws.send(c, { binary: true }));
    stream.on("end", () => ws.close(1000, "exited"));
    stream.on("error", () => ws.close(1011, "stream error"));
    ws.on("close", () => stream!.destroy());
  }
}

/** A websocket close reason is limited to 123 bytes. */
function truncate(s: string): string {
  return Buffer.byteLength(s) <= 123 ? s : Buffer.from(s).subarray(0, 120).toString("utf8") + "…";
}
