import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { TLSSocket } from "node:tls";

/**
 * Who may use the dashboard and how a request proves it.
 *
 * - The session token (printed by the daemon at start) is exchanged once for
 *   an HttpOnly, SameSite=Strict cookie (`POST /ui/login`), or sent by a
 *   script as `Authorization: Bearer TOKEN`.
 * - With the daemon's mutual TLS, a client certificate the CA signed is
 *   enough on its own.
 * - Browsers attach cookies and certificates by themselves, so every request
 *   that changes something (any method but GET/HEAD, and every websocket)
 *   must also carry the session's CSRF token (`X-Wharf-Csrf`, or `csrf=` on
 *   a websocket URL), which only the dashboard's own page can read.
 * - A cross-origin request (Origin or Sec-Fetch-Site say so) is refused, and
 *   on a loopback listener the Host must be a loopback name (DNS rebinding).
 */
export interface AccessOptions {
  /** Port of the listener: part of the cookie name (cookies ignore ports) and of the expected Host. */
  port: number;
  /** Served over TLS: cookies get `Secure`. */
  secure: boolean;
  /** Host header values accepted; undefined accepts any (a TLS listener on a routable address). */
  allowedHosts?: Set<string>;
  /** How long an idle browser session lasts. */
  sessionIdleMs?: number;
}

export type Verdict =
  | { ok: true; who: string; csrf: string; via: "bearer" | "cookie" | "certificate" }
  | { ok: false; status: 401 | 403; message: string };

type Granted = Extract<Verdict, { ok: true }>;

interface Session {
  csrf: string;
  lastSeen: number;
}

const MAX_SESSIONS = 64;
export const CSRF_HEADER = "x-wharf-csrf";

export class AccessControl {
  readonly token = randomBytes(32).toString("base64url");
  readonly cookieName: string;
  private readonly sessions = new Map<string, Session>();
  /** Derives a stable CSRF token for certificate-authenticated browsers. */
  private readonly certSecret = randomBytes(32);
  private readonly idleMs: number;

  constructor(private readonly opts: AccessOptions) {
    // Over TLS the __Host- prefix makes the browser refuse the cookie from anything but this exact origin, over HTTPS.
    this.cookieName = `${opts.secure ? "__Host-" : ""}wharf_ui_${opts.port}`;
    this.idleMs = opts.sessionIdleMs ?? 12 * 3600_000;
  }

  /** The request's origin as this listener sees it, or a refusal for a foreign Host or origin. */
  checkOrigin(req: IncomingMessage): Verdict | undefined {
    const host = (req.headers.host ?? "").toLowerCase();
    if (this.opts.allowedHosts && !this.opts.allowedHosts.has(host)) {
      return { ok: false, status: 403, message: `the dashboard answers only on a loopback address; open it as http://127.0.0.1:${this.opts.port}/ (Host "${host}" refused)` };
    }
    const site = req.headers["sec-fetch-site"];
    if (site === "cross-site" || site === "same-site") return { ok: false, status: 403, message: "cross-site request refused: open the dashboard itself to act on the engine" };
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `${this.opts.secure ? "https" : "http"}://${host}`) {
      return { ok: false, status: 403, message: `cross-origin request from ${origin} refused: open the dashboard itself to act on the engine` };
    }
    return undefined;
  }

  /** Authenticate (and for changes, check the CSRF token); `csrf` is the token the request presents. */
  authorize(req: IncomingMessage, o: { changes: boolean; csrf?: string }): Verdict {
    const bad = this.checkOrigin(req);
    if (bad) return bad;
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if (bearer !== undefined) {
      if (!this.isToken(bearer)) return { ok: false, status: 401, message: "the dashboard token is wrong: use the one the daemon printed at start" };
      return { ok: true, who: "token", csrf: "", via: "bearer" }; // a header browsers never add by themselves: no CSRF risk
    }
    const who = this.fromCookie(req) ?? this.fromCertificate(req);
    if (!who) return { ok: false, status: 401, message: "not logged in: open the URL with the token the daemon printed at start" };
    if (o.changes && !(o.csrf && safeEqual(o.csrf, who.csrf))) {
      return { ok: false, status: 403, message: `missing or wrong ${CSRF_HEADER} header: actions must come from the dashboard page` };
    }
    return who;
  }

  /** Exchange the token for a browser session; undefined when the token is wrong. */
  login(token: string): { cookie: string; csrf: string } | undefined {
    if (!this.isToken(token)) return undefined;
    this.expire();
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const id = randomBytes(32).toString("base64url");
    const csrf = randomBytes(24).toString("base64url");
    this.sessions.set(id, { csrf, lastSeen: Date.now() });
    return { cookie: this.cookie(id, Math.floor(this.idleMs / 1000)), csrf };
  }

  /** End the request's session; the cookie header that clears it. */
  logout(req: IncomingMessage): string {
    const id = cookies(req)[this.cookieName];
    if (id) this.sessions.delete(id);
    return this.cookie("", 0);
  }

  private cookie(value: string, maxAge: number): string {
    return `${this.cookieName}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${this.opts.secure ? "; Secure" : ""}`;
  }

  private isToken(candidate: string): boolean {
    return safeEqual(candidate, this.token);
  }

  private fromCookie(req: IncomingMessage): Granted | undefined {
    const id = cookies(req)[this.cookieName];
    const s = id ? this.sessions.get(id) : undefined;
    if (!s) return undefined;
    const now = Date.now();
    if (now - s.lastSeen > this.idleMs) {
      this.sessions.delete(id!);
      return undefined;
    }
    s.lastSeen = now;
    return { ok: true, who: "browser session", csrf: s.csrf, via: "cookie" };
  }

  private fromCertificate(req: IncomingMessage): Granted | undefined {
    const sock = req.socket;
    if (!(sock instanceof TLSSocket) || !sock.authorized) return undefined;
    const cert = sock.getPeerCertificate();
    if (!cert?.fingerprint256) return undefined;
    const csrf = createHmac("sha256", this.certSecret).update(cert.fingerprint256).digest("base64url");
    return { ok: true, who: `client certificate CN=${cert.subject?.CN ?? "?"}`, csrf, via: "certificate" };
  }

  private expire(): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) if (now - s.lastSeen > this.idleMs) this.sessions.delete(id);
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** Host header values a loopback listener answers to. */
export function loopbackHosts(port: number): Set<string> {
  return new Set(["127.0.0.1", "localhost", "[::1]"].map((h) => `${h}:${port}`));
}
