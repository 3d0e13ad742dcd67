import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import type { IncomingMessage } from "node:http";
import bcrypt from "bcryptjs";
import { errors } from "./registry-error.js";

export interface AccessOptions {
  /** htpasswd file (bcrypt entries, as `htpasswd -B` writes them). */
  htpasswd?: string;
  /** Serve and require bearer tokens from our own /token endpoint instead of Basic. */
  tokenAuth?: boolean;
  /** Root dir, for the persisted token-signing secret. */
  root: string;
  realm?: string;
}

interface Grant {
  type: string;
  name: string;
  actions: string[];
}

const TOKEN_TTL_S = 300;

/**
 * Who may do what. No htpasswd and no token auth: everyone may do
 * everything (registry:2's default). htpasswd alone: Basic auth on every
 * request. Token auth: the registry is also its own token server
 * (`GET /token?service&scope`, Basic credentials checked against htpasswd;
 * anonymous callers get pull only when an htpasswd file is set) and
 * requests carry `Authorization: Bearer` with HMAC-signed grants.
 */
export class RegistryAccess {
  private users = new Map<string, string>();
  private secret = Buffer.alloc(0);

  constructor(private readonly opts: AccessOptions, private readonly baseUrl: () => string) {}

  async init(): Promise<void> {
    if (this.opts.htpasswd) {
      for (const line of (await fs.readFile(this.opts.htpasswd, "utf8")).split("\n")) {
        const i = line.indexOf(":");
        if (i > 0) this.users.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
      }
    }
    if (this.opts.tokenAuth) {
      const file = path.join(this.opts.root, "token-secret");
      try {
        this.secret = await fs.readFile(file);
      } catch {
        this.secret = randomBytes(32);
        await fs.writeFile(file, this.secret, { mode: 0o600 });
      }
    }
  }

  get enabled(): boolean {
    return !!this.opts.tokenAuth || this.users.size > 0 || !!this.opts.htpasswd;
  }

  /** Throws 401 (with the challenge) unless the request may perform `action` on `scope`. */
  check(req: IncomingMessage, scope: { type: string; name: string; action: string } | undefined): void {
    if (!this.enabled) return;
    const h = String(req.headers.authorization ?? "");
    const realm = this.opts.realm ?? "wharf-registry";
    if (this.opts.tokenAuth) {
      const scopeStr = scope ? `,scope="${scope.type}:${scope.name}:${scope.action === "push" ? "pull,push" : scope.action}"` : "";
      const challenge = `Bearer realm="${this.baseUrl()}/token",service="${realm}"${scopeStr}`;
      const grants = h.startsWith("Bearer ") ? this.verifyToken(h.slice(7)) : undefined;
      if (!grants) throw errors.unauthorized(challenge);
      if (scope && !grants.some((g) => g.type === scope.type && g.name === scope.name && (g.actions.includes(scope.action) || g.actions.includes("*")))) {
        throw errors.unauthorized(`${challenge},error="insufficient_scope"`);
      }
      return;
    }
    if (!this.basicUser(h)) throw errors.unauthorized(`Basic realm="${realm}"`);
  }

  /** GET /token: issue a bearer token for the requested scopes the caller may have. */
  issueToken(req: IncomingMessage, url: URL): { token: string; access_token: string; expires_in: number; issued_at: string } {
    const h = String(req.headers.authorization ?? "");
    const user = h ? this.basicUser(h) : undefined;
    if (h && !user) throw errors.unauthorized(`Basic realm="${this.opts.realm ?? "wharf-registry"}"`);
    const anonymousLimited = !user && this.users.size > 0;
    const grants: Grant[] = [];
    for (const s of url.searchParams.getAll("scope").flatMap((v) => v.split(" ")).filter(Boolean)) {
      const parts = s.split(":");
      if (parts.length < 3) continue;
      const actions = parts[parts.length - 1].split(",");
      const name = parts.slice(1, -1).join(":");
      grants.push({ type: parts[0], name, actions: anonymousLimited ? actions.filter((a) => a === "pull") : actions });
    }
    const payload = Buffer.from(JSON.stringify({ sub: user ?? "", access: grants, exp: Math.floor(Date.now() / 1000) + TOKEN_TTL_S })).toString("base64url");
    const token = `${payload}.${this.sign(payload)}`;
    return { token, access_token: token, expires_in: TOKEN_TTL_S, issued_at: new Date().toISOString() };
  }

  private verifyToken(token: string): Grant[] | undefined {
    const [payload, sig] = token.split(".");
    if (!payload || !sig) return undefined;
    const want = Buffer.from(this.sign(payload));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
    const doc = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { access: Grant[]; exp: number };
    if (doc.exp < Date.now() / 1000) return undefined;
    return doc.access;
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.secret).update(payload).digest("base64url");
  }

  /** Verified "Basic …" headers: bcrypt is slow on purpose and clients send credentials with every request. */
  private verified = new Map<string, string>();

  private basicUser(h: string): string | undefined {
    if (!h.startsWith("Basic ")) return undefined;
    const cached = this.verified.get(h);
    if (cached) return cached;
    const s = Buffer.from(h.slice(6), "base64").toString("utf8");
    const i = s.indexOf(":");
    if (i <= 0) return undefined;
    const user = s.slice(0, i);
    const hash = this.users.get(user);
    if (!hash) return undefined;
    const normalized = hash.startsWith("$2y$") ? `$2a$${hash.slice(4)}` : hash;
    if (!bcrypt.compareSync(s.slice(i + 1), normalized)) return undefined;
    if (this.verified.size > 1000) this.verified.clear();
    this.verified.set(h, user);
    return user;
  }
}
