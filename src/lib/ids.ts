import { randomBytes } from "node:crypto";

/** A 64-hex-digit ID like Docker's container and exec IDs. Never all digits (Docker avoids those, they read as numbers). */
export function newId(): string {
  for (;;) {
    const id = randomBytes(32).toString("hex");
    if (!/^\d{12}/.test(id)) return id;
  }
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}

