/* Trợ lý QCDC: the page works without this file; with it, answers replace the page part only
   (plain fetch), a citation mark opens the source in a side panel (a bottom sheet on a phone),
   feedback is sent in place and a citation is copied with one button. No library, no CDN. */
(function () {
  "use strict";
  var panel = document.getElementById("bang-nguon");
  var lastMark = null;

  /* The copy buttons are rendered hidden: without this script they could do nothing. */
  document.querySelectorAll("button.copy[hidden]").forEach(function (b) { b.hidden = false; });

  function post(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    return fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(data),
      headers: { "X-Fragment": "1" },
      credentials: "same-origin"
    }).then(function (r) { return r.text(); }).then(partOnly);
  }

  /* An unexpected failure answers with a whole error page: keep its message only. */
  function partOnly(html) {
    if (html.indexOf("<main") === -1) return html;
    var main = new DOMParser().parseFromString(html, "text/html").querySelector("main");
    return main ? '<div class="problem" role="alert">' + main.innerHTML + "</div>" : html;
  }

  function openSource(n, mark) {
    var source = document.getElementById("nguon-" + n);
    if (!panel || !source) return false;
    var body = panel.querySelector(".panel-body");
    body.innerHTML = "";
    var copy = source.cloneNode(true);
    copy.removeAttribute("id");
    copy.removeAttribute("tabindex");
    body.appendChild(copy);
    panel.hidden = false;
    lastMark = mark;
    var marked = body.querySelector("mark");
    if (marked) marked.scrollIntoView({ block: "center" });
    panel.querySelector(".panel-close").focus();
    return true;
  }

  function closePanel() {
    if (!panel || panel.hidden) return;
    panel.hidden = true;
    if (lastMark) lastMark.focus();
  }

  document.addEventListener("click", function (e) {
    var mark = e.target.closest && e.target.closest("a.mark");
    if (mark && openSource(mark.getAttribute("data-n"), mark)) {
      e.preventDefault();
      return;
    }
    if (e.target.closest && e.target.closest(".panel-close")) closePanel();
    var copyButton = e.target.closest && e.target.closest("button.copy");
    if (copyButton) copyCitation(copyButton);
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") closePanel();
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var target = form.getAttribute("data-fragment");
    if (!target || !window.fetch) return;
    e.preventDefault();
    var submitter = e.submitter;
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    form.setAttribute("aria-busy", "true");
    post(form, submitter).then(function (html) {
      if (target === "self") {
        form.innerHTML = html;
        return;
      }
      var place = document.getElementById(target);
      place.innerHTML = html;
      closePanel();
      var field = form.querySelector("textarea");
      var asked = place.querySelector(".answer");
      if (asked && field) field.value = "";
      var heading = place.querySelector("h2, .problem, .reply");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }).catch(function () {
      form.submit();
    }).finally(function () {
      buttons.forEach(function (b) { b.disabled = false; });
      form.removeAttribute("aria-busy");
    });
  });

  function copyCitation(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    var done = function () {
      var note = button.parentNode.querySelector(".copied");
      if (note) note.hidden = false;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.select();
      try { if (document.execCommand("copy")) done(); } catch (err) { /* the text stays selected */ }
    }
  }
})();
