// Search as you type: the form is posted in the background and the results replace the list.
// Without this script the form works as it is (a button, a full page).
"use strict";
(function () {
  var form = document.getElementById("recherche");
  if (!form) return;
  var box = document.getElementById("resultats");
  var field = document.getElementById("q");
  var timer = null;
  var sent = 0;
  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (field.value.trim() === "") { box.innerHTML = ""; return; }
      var mine = ++sent;
      fetch("/rechercher/resultats", { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null && mine === sent) box.innerHTML = html; });
    }, 200);
  });
})();

// The progress of "Synchroniser maintenant": changes sent and received so far, then the page again
// with the outcome in words.
(function () {
  var box = document.getElementById("progression");
  if (!box || box.hidden) return;
  var text = document.getElementById("progression-texte");
  function poll() {
    fetch("/synchroniser/etat", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state === null) return;
        if (!state.enCours) { window.location.reload(); return; }
        text.textContent = "Synchronisation en cours : " + state.envoyees + " modification(s) envoyée(s), " + state.recues + " reçue(s)…";
        setTimeout(poll, 500);
      });
  }
  poll();
})();

// "Imprimer" on the activity report: the browser's own print dialog (A4 by the stylesheet).
(function () {
  var button = document.getElementById("imprimer");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
