// Draw every plotly figure on the page (figures are built in kpis/charts.py). A chart is an
// element with data-figure="ID" whose figure (data and layout) is in the JSON script element #ID,
// written by Django's json_script filter, which escapes it so that no label can end the element.
document.addEventListener("DOMContentLoaded", function () {
  function draw(target, figure) {
    if (!target || !window.Plotly) { return; }
    window.Plotly.newPlot(target, figure.data, figure.layout, {
      displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"]
    });
  }
  document.querySelectorAll("[data-figure]").forEach(function (target) {
    var source = document.getElementById(target.dataset.figure);
    if (source) { draw(target, JSON.parse(source.textContent)); }
  });
});
