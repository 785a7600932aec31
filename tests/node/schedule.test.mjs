// The review scheduler (static/schedule.js, SM-2) without a browser: the intervals it produces
// for each grade, the ease it keeps, what counts as due. Run: node --test tests/node/
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const S = createRequire(import.meta.url)("../../static/schedule.js");
const DAY = 86400000;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/** The intervals (days) after answering a new card with `grades` in turn, each on its due date. */
function run(grades) {
  let s = null, now = T0;
  return grades.map((g) => { s = S.grade(s, g, now); now = s.due; return [s.ivl, s.ef]; });
}

test("Good every time: 1, 6, then times 2.5", () => {
  assert.deepEqual(run([3, 3, 3, 3, 3]).map((x) => x[0]), [1, 6, 15, 38, 95]);
  assert.deepEqual(run([3, 3, 3]).map((x) => x[1]), [2.5, 2.5, 2.5]);
});

test("Easy raises the ease by 0.1 a time and the intervals with it", () => {
  assert.deepEqual(run([4, 4, 4, 4]), [[1, 2.6], [6, 2.7], [17, 2.8], [49, 2.9]]);
});

test("Hard lowers the ease by 0.14 a time", () => {
  assert.deepEqual(run([2, 2, 2, 2]), [[1, 2.36], [6, 2.22], [12, 2.08], [23, 1.94]]);
});

test("the ease never falls below 1.3", () => {
  const r = run(Array(12).fill(2));
  assert.equal(r[r.length - 1][1], 1.3);
  assert.ok(r.every(([ivl, ef]) => ef >= 1.3 && ivl >= 1));
});

test("Again starts the card over without changing its ease, and counts a lapse", () => {
  let s = null;
  for (const g of [3, 3, 3]) s = S.grade(s, g, T0);
  assert.equal(s.ivl, 15);
  const lapsed = S.grade(s, 1, T0);
  assert.deepEqual([lapsed.reps, lapsed.ivl, lapsed.ef, lapsed.lapses], [0, 1, 2.5, 1]);
  assert.equal(lapsed.due, T0 + DAY);
  const back = S.grade(lapsed, 3, lapsed.due);
  assert.deepEqual([back.reps, back.ivl], [1, 1]);
  assert.equal(S.grade(back, 3, back.due).ivl, 6);
});

test("due: new cards, and cards due before the end of the local day", () => {
  assert.ok(S.isDue(null, T0));
  const s = S.grade(null, 3, T0);
  assert.ok(!S.isDue(s, T0));
  assert.ok(!S.isDue(s, S.endOfDay(T0) - 1), "graded Good today: not due again today");
  assert.ok(S.isDue(s, s.due));
  assert.ok(S.isDue(s, S.endOfDay(s.due) - 1));
});

test("grades outside 1-4 are refused; state validation refuses junk", () => {
  assert.throws(() => S.grade(null, 5, T0));
  assert.throws(() => S.grade(null, 0, T0));
  assert.ok(S.valid(S.grade(null, 3, T0)));
  for (const bad of [null, 3, "x", {}, { reps: 1, ivl: 1, ef: 0.5, due: 0, lapses: 0, last: 0 }, { reps: -1, ivl: 1, ef: 2.5, due: 0, lapses: 0, last: 0 }]) {
    assert.ok(!S.valid(bad), JSON.stringify(bad));
  }
});

test("intervals are described in days, months and years", () => {
  assert.equal(S.describe(1), "1 day");
  assert.equal(S.describe(6), "6 days");
  assert.equal(S.describe(38), "1.2 months");
  assert.equal(S.describe(400), "1.1 years");
});
