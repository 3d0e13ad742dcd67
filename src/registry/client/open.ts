import type { AuthConfig } from "./auth.js";
import { RepositoryClient } from "./repository.js";
import { endpointsFor, pickEndpoint, type RegistryOptions } from "./resolver.js";

/**
 * A client for `domain/path` on the first registry endpoint that answers,
 * authenticated for `actions` ("pull", "push"). Mirrors are only used when
 * pulling from docker.io.
 */
export async function openRepository(domain: string, repoPath: string, opts: RegistryOptions, auth: AuthConfig | undefined, actions: string[], extraScopes: string[] = []): Promise<RepositoryClient> {
  const endpoint = await pickEndpoint(endpointsFor(domain, opts, actions.includes("push")));
  const client = new RepositoryClient(endpoint, repoPath, auth, actions, extraScopes);
  await client.ensureAuth();
  return client;
}
