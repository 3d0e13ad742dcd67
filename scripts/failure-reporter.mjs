// A node:test reporter that writes one JSON line per failed test (not the suites
// that merely contain one), so run-tests.mjs can repeat every failure with its
// message at the very end of a long log, where CI shows it.
export default async function* failureReporter(source) {
  for await (const ev of source) {
    if (ev.type !== "test:fail") continue;
    const err = ev.data.details?.error;
    if (err?.failureType === "subtestsFailed") continue;
    const cause = err?.cause ?? err;
    const text = String(cause?.stack ?? cause?.message ?? cause ?? "unknown failure");
    yield JSON.stringify({ name: ev.data.name, file: ev.data.file, line: ev.data.line, text }) + "\n";
  }
}
