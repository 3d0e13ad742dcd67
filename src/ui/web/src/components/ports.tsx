import type { Port } from "../types";

/** Published ports as links (a wildcard address means: this host, as the browser reaches it). */
export function Ports({ ports }: { ports?: Port[] }) {
  const seen = new Set<string>();
  const items = (ports ?? []).filter((p) => {
    const k = `${p.PublicPort ?? ""}:${p.PrivatePort}/${p.Type}`;
    if (seen.has(k)) return false; // IPv4 and IPv6 bindings of one port
    seen.add(k);
    return true;
  });
  if (!items.length) return <span class="muted">–</span>;
  return (
    <span class="ports">
      {items.map((p) => {
        const text = p.PublicPort ? `${p.PublicPort}→${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`;
        if (!p.PublicPort || p.Type !== "tcp") return <span key={text}>{text}</span>;
        const host = !p.IP || p.IP === "0.0.0.0" || p.IP === "::" ? location.hostname : p.IP.includes(":") ? `[${p.IP}]` : p.IP;
        return (
          <a key={text} href={`http://${host}:${p.PublicPort}/`} target="_blank" rel="noopener noreferrer">
            {text}
          </a>
        );
      })}
    </span>
  );
}
