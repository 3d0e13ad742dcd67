import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, createWebSocketStream } from "ws";

// One upgrade helper for every websocket endpoint (attach/ws); `ws` does the protocol.
const wss = new WebSocketServer({ noServer: true });

/** Complete a websocket handshake on a hijacked socket and expose the connection as a byte stream. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<Duplex> {
  return new Promise((resolve) => {
    wss.handleUpgrade(req, socket, head, (ws) => resolve(createWebSocketStream(ws)));
  });
}
