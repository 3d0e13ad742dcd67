import { containerName } from "../format";
import { href } from "../router";
import type { ContainerSummary } from "../types";

/** Links to the containers that use a volume or a network. */
export function Users({ users }: { users: ContainerSummary[] }) {
  if (!users.length) return <span class="muted">unused</span>;
  return (
    <span class="users">
      {users.map((c) => (
        <a key={c.Id} href={href("containers", c.Id)} class={`user ${c.State}`}>
          {containerName(c.Names)}
        </a>
      ))}
    </span>
  );
}
