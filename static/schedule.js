/* Spaced repetition for the self-test cards: SM-2 (Wozniak, 1990), written for this handbook.
   A card's state is { reps, ivl (days), ef (ease), due (ms since epoch), lapses, last (ms) }.
   Grades: 1 Again, 2 Hard, 3 Good, 4 Easy, taken as SM-2 qualities 1, 3, 4 and 5.
   - Again: the card starts over (reps 0), due in 1 day, ease unchanged; the session shows it
     again before it ends.
   - Otherwise: ease += 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02), at least 1.3 (Hard -0.14,
     Good +0, Easy +0.1); then the interval is 1 day for the first success, 6 days for the
     second, and the last interval times the new ease, rounded, after that.
   Works as a browser script (window.HandbookSchedule) and as a Node module (tests). */
(function (root, make) {
  if (typeof module === "object" && module.exports) module.exports = make();
  else root.HandbookSchedule = make();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var DAY = 86400000;
  var QUALITY = [0, 1, 3, 4, 5];
  var NAMES = ["", "Again", "Hard", "Good", "Easy"];

  function fresh() { return { reps: 0, ivl: 0, ef: 2.5, due: 0, lapses: 0, last: 0 }; }

  /** Whether `s` looks like a state this module wrote (used to refuse foreign imports). */
  function valid(s) {
    return !!s && typeof s === "object" && [s.reps, s.ivl, s.ef, s.due, s.lapses, s.last]
      .every(function (v) { return typeof v === "number" && isFinite(v) && v >= 0; }) && s.ef >= 1.3;
  }

  /** The state after answering with `grade` (1-4) at time `now` (ms). `state` may be null (a new card). */
  function grade(state, g, now) {
    if (!(g >= 1 && g <= 4)) throw new Error("grade must be 1-4, got " + g);
    var s = state ? { reps: state.reps, ivl: state.ivl, ef: state.ef, lapses: state.lapses } : fresh();
    var q = QUALITY[g];
    if (q < 3) {
      s.reps = 0; s.ivl = 1; s.lapses += 1;
    } else {
      s.ef = Math.max(1.3, Math.round((s.ef + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)) * 100) / 100);
      s.reps += 1;
      s.ivl = s.reps === 1 ? 1 : s.reps === 2 ? 6 : Math.round(s.ivl * s.ef);
    }
    s.last = now;
    s.due = now + s.ivl * DAY;
    return s;
  }

  /** The end of the local day holding `now`: what is due by then counts as due today. */
  function endOfDay(now) {
    var d = new Date(now);
    d.setHours(24, 0, 0, 0);
    return d.getTime();
  }

  /** Whether a card with `state` (null: never reviewed) is due on the day of `now`. */
  function isDue(state, now) { return !state || state.due < endOfDay(now); }

  /** "1 day", "6 days", "1.5 months", "2.1 years": how long an interval of `days` is. */
  function describe(days) {
    if (days < 30) return days + (days === 1 ? " day" : " days");
    if (days < 365) return (Math.round(days / 3.04375) / 10) + " months";
    return (Math.round(days / 36.525) / 10) + " years";
  }

  return { DAY: DAY, NAMES: NAMES, fresh: fresh, valid: valid, grade: grade, endOfDay: endOfDay, isDue: isDue, describe: describe };
});
