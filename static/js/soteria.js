// Behaviour that pages ask for in their markup, so that no page needs inline script
// (the Content-Security-Policy in soteria/settings.py runs none).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-action='print']").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
