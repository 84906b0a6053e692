/* sop-lms quiz timer: counts down from the server-computed remaining time and announces milestones to
   screen readers. Without JavaScript the page still shows the deadline; the server enforces it either way. */
(function () {
  "use strict";
  var box = document.getElementById("quiz-timer");
  if (!box) { return; }
  var remaining = parseInt(box.getAttribute("data-remaining"), 10);
  var grace = parseInt(box.getAttribute("data-grace"), 10) || 0;
  if (isNaN(remaining)) { return; }
  var clock = document.getElementById("timer-clock");
  var shown = document.getElementById("timer-remaining");
  var loaded = box.querySelector(".timer-loaded");
  var live = document.getElementById("timer-announce");
  /* measured with a monotonic clock from page load, so a wrong clock on the device does not matter */
  var start = (window.performance && performance.now) ? performance.now() : Date.now();
  var now = function () { return (window.performance && performance.now) ? performance.now() : Date.now(); };
  var milestones = [
    [300, "5 minutes left."],
    [60, "1 minute left."],
    [0, "Time is up. Submit your answers now: answers sent more than " + grace + " seconds late are not accepted."]
  ].filter(function (m) { return remaining > m[0]; });

  function format(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var left = Math.max(0, remaining - Math.floor((now() - start) / 1000));
    shown.textContent = format(left);
    if (left <= 60) { clock.classList.add("timer-urgent"); }
    while (milestones.length && left <= milestones[0][0]) {
      live.textContent = milestones.shift()[1];
    }
    if (left === 0) {
      clock.classList.add("timer-over");
      window.clearInterval(handle);
    }
  }

  if (loaded) { loaded.hidden = true; }
  clock.hidden = false;
  var handle = window.setInterval(tick, 1000);
  tick();
}());
