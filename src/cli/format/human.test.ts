import { test } from "node:test";
import assert from "node:assert/strict";
import { bytesSize, humanDuration, humanSize, timeAgo } from "./human.js";

const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H, W = 7 * D, MO = 30 * D, Y = 365 * D;

test("humanDuration matches go-units' table", () => {
  const cases: [number, string][] = [
    [450, "Less than a second"], [S, "1 second"], [45 * S, "45 seconds"], [59 * S, "59 seconds"],
    [60 * S, "About a minute"], [3 * M, "3 minutes"], [35 * M + 40 * S, "35 minutes"], [59 * M, "59 minutes"],
    [H, "About an hour"], [H + 29 * M, "About an hour"], [H + 31 * M, "2 hours"], [3 * H + 29 * M, "3 hours"],
    [3 * H + 31 * M, "4 hours"], [24 * H, "24 hours"], [D + 12 * H, "36 hours"], [2 * D, "2 days"],
    [13 * D + 5 * H, "13 days"], [2 * W, "2 weeks"], [4 * W + 3 * D, "4 weeks"], [MO, "4 weeks"],
    [MO + 2 * W, "6 weeks"], [2 * MO, "2 months"], [5 * MO + 2 * W, "5 months"], [24 * MO, "24 months"],
    [24 * MO + 2 * W, "2 years"], [3 * Y + 2 * MO, "3 years"],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, String(ms));
});

test("humanSize is HumanSizeWithPrecision(size, 3)", () => {
  const cases: [number, string][] = [
    [0, "0B"], [999, "999B"], [1000, "1kB"], [1024, "1.02kB"], [1125, "1.12kB"], [4261000, "4.26MB"],
    [1.5e9, "1.5GB"], [7.654e12, "7.65TB"], [4.2e6, "4.2MB"],
  ];
  for (const [n, want] of cases) assert.equal(humanSize(n), want, String(n));
});

test("bytesSize is go-units BytesSize", () => {
  const cases: [number, string][] = [[0, "0B"], [1023, "1023B"], [1024, "1KiB"], [1536, "1.5KiB"], [1024 ** 2 * 10.5, "10.5MiB"], [1024 ** 3, "1GiB"]];
  for (const [n, want] of cases) assert.equal(bytesSize(n), want, String(n));
});

test("timeAgo", () => {
  const now = Date.parse("2024-05-01T12:00:00Z");
  assert.equal(timeAgo("2024-05-01T11:57:00Z", now), "3 minutes ago");
  assert.equal(timeAgo(new Date(now - 2 * D), now), "2 days ago");
});
