// TLS settings of the API listener (issue 18 owns their behaviour; this table only reads them).
import type { ConfigKey } from "./key.js";
import { bool, str } from "./kinds.js";

export const tlsKeys: ConfigKey[] = [
  { name: "tls", flags: ["--tls"], kind: bool, field: "tls.enabled" },
  { name: "tlsverify", flags: ["--tlsverify"], kind: bool, field: "tls.verify" },
  { name: "tlscacert", flags: ["--tlscacert"], kind: str, field: "tls.ca" },
  { name: "tlscert", flags: ["--tlscert"], kind: str, field: "tls.cert" },
  { name: "tlskey", flags: ["--tlskey"], kind: str, field: "tls.key" },
];
