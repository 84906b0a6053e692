/* sop-lms figures: draws every plotly figure whose JSON sits in a <script type="application/json"> data
   block named by an element's data-figure attribute. No inline script is needed, so the page keeps its
   `default-src 'self'` Content-Security-Policy. Without JavaScript the data table shows the same numbers. */
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  /* A drill-down figure carries the address of the learners behind each bar as customdata[0]; only a
     same-site path is followed. The data table under each figure has the same links for keyboards. */
  function followClicks(target) {
    target.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var href = point && point.customdata && point.customdata[0];
      if (typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/") {
        window.location.assign(href);
      }
    });
  }
  var targets = document.querySelectorAll("[data-figure]");
  Array.prototype.forEach.call(targets, function (target) {
    var block = document.getElementById(target.getAttribute("data-figure"));
    if (!block) { return; }
    var figure;
    try { figure = JSON.parse(block.textContent); } catch (e) { return; }
    window.Plotly.newPlot(target, figure.data || [], figure.layout || {}, {
      responsive: true,
      displaylogo: false,
      /* the mode bar needs plotly's injected stylesheet, which the CSP (rightly) blocks */
      displayModeBar: false
    }).then(function () {
      target.setAttribute("data-rendered", "true");
      if (figure.layout && figure.layout.meta && figure.layout.meta.drill) { followClicks(target); }
    });
  });
})();
