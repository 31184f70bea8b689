// The import page's progress bar: poll the batch's progress until it is done, then reload to
// show the result (templates/kpis/imports/detail.html, section#import-progress).
(function () {
  var section = document.getElementById("import-progress");
  if (!section || section.dataset.done === "true") return;
  var bar = section.querySelector(".progress-bar");
  var meter = section.querySelector(".progress");
  var format = function (n) { return Number(n).toLocaleString("en-GB"); };
  function poll() {
    fetch(section.dataset.progressUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (p) {
        bar.style.width = p.percent + "%";
        bar.textContent = p.percent + "%";
        meter.setAttribute("aria-valuenow", p.percent);
        section.querySelector(".js-status").textContent = p.status_label;
        section.querySelector(".js-read").textContent = format(p.read);
        section.querySelector(".js-validated").textContent = format(p.validated);
        section.querySelector(".js-written").textContent = format(p.written);
        if (p.done) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
