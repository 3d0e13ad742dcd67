// The scenario list, in run order. Add a module here whenever a capability lands.
import type { Scenario } from "./scenario.js";
import { idleRssScenario } from "./idle-rss.js";
import { runRmScenario } from "./run-rm.js";
import { execScenario } from "./exec.js";
import { createRmScenario } from "./create-rm.js";
import { wharfCliScenario } from "./wharf-cli.js";
import { ps200Scenario } from "./ps-200.js";
import { parallelRunScenario } from "./parallel-run.js";
import { stdout100mbScenario } from "./stdout-100mb.js";
import { buildScenario } from "./build.js";
import { publishedPortScenario } from "./published-port.js";
import { lifecyclesScenario } from "./lifecycles.js";
import { statsScenario } from "./stats.js";
import { eventsScenario } from "./events.js";
import { restartPolicyScenario } from "./restart-policy.js";
import { pullPushScenario } from "./pull-push.js";
import { swarmScenario } from "./swarm.js";
import { composeScenario } from "./compose.js";
import { cpScenario } from "./cp.js";
import { loggingScenario, metricsScrapeScenario } from "./logging.js";

export function allScenarios(): Scenario[] {
  return [
    idleRssScenario(),
    runRmScenario("default"),
    runRmScenario("none"),
    execScenario(),
    createRmScenario(),
    wharfCliScenario(),
    lifecyclesScenario(), // before the 100 MB streams, so the RSS reflects ordinary use
    ps200Scenario(),
    parallelRunScenario(),
    stdout100mbScenario(),
    buildScenario(),
    publishedPortScenario(),
    statsScenario(),
    eventsScenario(),
    restartPolicyScenario(),
    pullPushScenario(),
    cpScenario(),
    swarmScenario(),
    composeScenario(),
    loggingScenario(),
    metricsScrapeScenario(),
  ];
}
