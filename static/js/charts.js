// Draw every plotly figure on the page from its JSON script tag (figures are built in kpis/charts.py).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("script.plotly-figure").forEach(function (tag) {
    var figure = JSON.parse(tag.textContent);
    var target = document.getElementById(tag.dataset.target);
    if (!target || !window.Plotly) { return; }
    window.Plotly.newPlot(target, figure.data, figure.layout, {
      displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"]
    });
  });
});
