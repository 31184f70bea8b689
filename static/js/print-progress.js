// A PDF being printed in the background: poll until it is ready, then reload, which downloads
// it (templates/printing/progress.html, section#print-progress; soteria/printing.py).
(function () {
  var section = document.getElementById("print-progress");
  if (!section || !section.querySelector(".progress-bar")) return;
  var bar = section.querySelector(".progress-bar");
  function poll() {
    fetch(section.dataset.progressUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (p) {
        if (bar) { bar.style.width = p.percent + "%"; bar.textContent = p.percent + "%"; }
        if (p.done) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
