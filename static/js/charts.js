// Draw every plotly figure on the page (figures are built in kpis/charts.py). A chart is an
// element with data-figure="ID" whose figure (data and layout) is in the JSON script element #ID,
// written by Django's json_script filter, which escapes it so that no label can end the element.
//
// plotly takes longer to run (about half a second on a slow machine) than the rest of the page
// takes to arrive, so it is fetched early (link[data-plotly], a preload) but run only once the
// page has been parsed, by this deferred script: the page's text and tables show first. Then
// the charts in or near the window are drawn at once, and the others one at a time in
// later tasks, nearest the window first (about 60 ms each on a slow machine), so that
// scrolling stays responsive; printing first draws any not yet drawn.
(function () {
  var waiting = [];

  function draw(target) {
    var source = document.getElementById(target.dataset.figure);
    if (!source || target.dataset.drawn) { return; }
    target.dataset.drawn = "true";
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(target, figure.data, figure.layout, {
      displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"]
    });
  }

  function near(target) {
    var box = target.getBoundingClientRect();
    return box.top < window.innerHeight + 200 && box.bottom > -200;
  }

  function drawNext() {
    if (!waiting.length) { performance.mark("charts-all-drawn"); return; }
    var index = waiting.findIndex(near);
    draw(waiting.splice(index < 0 ? 0 : index, 1)[0]);
    window.setTimeout(drawNext, 0);
  }

  // The marks let bench/bench_pages.py time what a reader waits for.
  function drawCharts() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-figure]").forEach(function (target) {
      if (near(target)) { draw(target); } else { waiting.push(target); }
    });
    performance.mark("charts-first-screen-drawn");
    window.setTimeout(drawNext, 0);
    window.addEventListener("beforeprint", function () { waiting.forEach(draw); waiting = []; });
  }

  var bundle = document.querySelector("link[data-plotly]");
  if (!document.querySelector("[data-figure]")) { return; }
  if (window.Plotly || !bundle) { drawCharts(); return; }
  // After the page's first paint, so that its text shows before plotly runs.
  window.requestAnimationFrame(function () {
    window.setTimeout(function () {
      var plotly = document.createElement("script");
      plotly.src = bundle.href;
      plotly.addEventListener("load", drawCharts);
      document.head.appendChild(plotly);
    }, 0);
  });
})();
