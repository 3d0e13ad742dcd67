import assert from "node:assert/strict";
import { test } from "node:test";
import { ContainerStore } from "./container-store.js";
import { pickRandomName } from "./create.js";

test("a random name reserved by a create in progress is not handed out again", () => {
  const store = new ContainerStore("/nonexistent");
  const inUse = (n: string) => store.nameInUse("/" + n);
  // Two nameless creates whose generator draws the same name first: the second must skip it.
  const draws = ["nostalgic_kepler", "nostalgic_kepler", "brave_turing"];
  const gen = () => draws.shift() ?? "quirky_hopper";
  const first = pickRandomName(inUse, gen);
  store.reserveName("/" + first, "id-1");
  const second = pickRandomName(inUse, gen);
  assert.equal(first, "nostalgic_kepler");
  assert.equal(second, "brave_turing");
  // find() does not see reservations (nothing is stored yet): that was the race.
  assert.equal(store.find(first), undefined);
});
