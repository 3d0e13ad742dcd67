import type { AuthConfig } from "../../../registry/client/auth.js";

/** What POST /auth needs: a credentials check against a registry. */
export interface AuthBackend {
  login(auth: AuthConfig): Promise<{ Status: string; IdentityToken: string }>;
}
