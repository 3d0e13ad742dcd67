/**
 * `npm run torture`: the long crash campaign of issue 17 (default 200 SIGKILLs
 * of a daemon of its own, seeded; WHARF_TORTURE_KILLS and WHARF_TORTURE_SEED
 * override). Prints a summary and exits non-zero on any inconsistency.
 */
import { runCampaign } from "../test/helpers/crash-campaign.js";
import { startTestDaemon, type TestDaemon } from "../test/helpers/daemon.js";
import { startWharfRegistry, type TestRegistry } from "../test/e2e/registry/registries.js";

const kills = Number(process.env.WHARF_TORTURE_KILLS ?? 200);
const seed = Number(process.env.WHARF_TORTURE_SEED ?? Math.floor(Math.random() * 2 ** 31));
let d: TestDaemon | undefined;
let reg: TestRegistry | undefined;
let status = 1;
const t0 = Date.now();
try {
  [d, reg] = await Promise.all([startTestDaemon(), startWharfRegistry()]);
  const r = await runCampaign({ daemon: d, registry: reg.host, kills, seed, log: (l) => console.log(l) });
  console.log(`\ntorture: seed ${r.seed}, ${r.kills} kills (${r.interrupted} interrupted an operation), ${Math.round((Date.now() - t0) / 1000)} s`);
  for (const [op, n] of Object.entries(r.byOp).sort()) console.log(`  ${op.padEnd(16)} ${n}`);
  console.log(`inconsistencies: ${r.inconsistencies.length}`);
  for (const p of r.inconsistencies) console.log(`  ${p}`);
  status = r.inconsistencies.length ? 1 : 0;
} finally {
  await Promise.all([d?.stop(), reg?.stop()]);
}
process.exit(status);
