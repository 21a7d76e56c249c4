// The update's state refreshes itself while an update runs (without JS a <noscript> meta refresh does it).
(function () {
  "use strict";
  function poll() {
    var box = document.getElementById("cap-nhat");
    if (!box || !box.dataset.poll) return;
    fetch(box.dataset.poll, { headers: { "X-Fragment": "1" }, credentials: "same-origin" })
      .then(function (r) {
        if (r.redirected) { window.location.reload(); return Promise.reject("login"); }  // the session ended
        return r.ok ? r.text() : Promise.reject(r.status);
      })
      .then(function (html) {
        box.outerHTML = html;
        var fresh = document.getElementById("cap-nhat");
        if (fresh && fresh.dataset.poll) { setTimeout(poll, 2000); }
        else { document.querySelectorAll("button[disabled]").forEach(function (b) { b.disabled = false; }); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
