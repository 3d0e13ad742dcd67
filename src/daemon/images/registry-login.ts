import { InvalidArgumentError, UnauthorizedError } from "../../lib/errors.js";
import { authorize, credentialsOf, parseChallenges, type AuthConfig } from "../../registry/client/auth.js";
import { httpRequest } from "../../registry/client/http.js";
import { endpointsFor, pickEndpoint, type RegistryOptions } from "../../registry/client/resolver.js";

/** "https://index.docker.io/v1/" → "docker.io"; "http://127.0.0.1:5000" → "127.0.0.1:5000". */
export function registryDomain(serverAddress: string | undefined): string {
  const s = (serverAddress ?? "").trim();
  if (!s || /^(https?:\/\/)?(index\.)?docker\.io(\/|$)/.test(s) || /registry-1\.docker\.io/.test(s)) return "docker.io";
  const noScheme = s.replace(/^https?:\/\//, "");
  return noScheme.split("/")[0];
}

/**
 * `POST /auth`: check credentials against the registry's /v2/ the way
 * dockerd does (answer the challenge, expect 200). Nothing is stored by the
 * daemon; the CLI keeps the credentials in its config.json.
 */
export async function registryLogin(auth: AuthConfig, opts: RegistryOptions): Promise<{ Status: string; IdentityToken: string }> {
  const creds = credentialsOf(auth);
  if (!creds && !auth.identitytoken) throw new InvalidArgumentError("username and password are required");
  const endpoint = await pickEndpoint(endpointsFor(registryDomain(auth.serveraddress), opts, true));
  const url = new URL("/v2/", endpoint.base);
  const first = await httpRequest({ method: "GET", url, verifyTls: !endpoint.insecure });
  first.resume();
  if (first.statusCode === 200) return { Status: "Login Succeeded", IdentityToken: "" };
  if (first.statusCode !== 401) throw new UnauthorizedError(`login attempt to ${url.href} failed with status: ${first.statusCode} ${first.statusMessage ?? ""}`.trim());
  let header: string;
  try {
    header = await authorize(parseChallenges(first.headers["www-authenticate"]), auth, [], !endpoint.insecure, endpoint.base.href);
  } catch (err) {
    // A token server refusing the credentials is the same failed login to the user.
    if (err instanceof UnauthorizedError && / 401 /.test(err.message + " ")) throw new UnauthorizedError(`login attempt to ${url.href} failed with status: 401 Unauthorized`, { cause: err });
    throw new UnauthorizedError(`login attempt to ${url.href} failed: ${(err as Error).message}`, { cause: err });
  }
  const second = await httpRequest({ method: "GET", url, verifyTls: !endpoint.insecure, headers: { Authorization: header } });
  second.resume();
  if (second.statusCode !== 200) throw new UnauthorizedError(`login attempt to ${url.href} failed with status: ${second.statusCode} ${second.statusMessage ?? ""}`.trim());
  return { Status: "Login Succeeded", IdentityToken: "" };
}
