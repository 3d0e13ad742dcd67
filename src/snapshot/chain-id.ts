import { sha256Digest, type Digest } from "../content/digest.js";

/**
 * OCI image spec ChainID: chainID(L0) = diffID(L0),
 * chainID(Ln) = sha256(chainID(Ln-1) + " " + diffID(Ln)).
 */
export function chainIdOf(parentChainId: string | undefined, diffId: Digest): Digest {
  return parentChainId ? sha256Digest(`${parentChainId} ${diffId}`) : diffId;
}

/** Chain IDs of every layer of a stack, bottom first. */
export function chainIds(diffIds: Digest[]): Digest[] {
  const out: Digest[] = [];
  for (const d of diffIds) out.push(chainIdOf(out[out.length - 1], d));
  return out;
}
