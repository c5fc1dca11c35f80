// Reflect: small progressive enhancements. Everything works without this file.
(function () {
  "use strict";

  // Time zone forms start from the browser's zone, when the person has not chosen one.
  function preselectTimeZone() {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    document.querySelectorAll("select[data-browser-time-zone]").forEach(function (select) {
      if (select.value === "UTC" && zone && select.querySelector('option[value="' + zone + '"]')) {
        select.value = zone;
      }
    });
  }

  // The editor keeps an unsent copy of the text on this device until the server has it.
  var STORE = "reflect:draft:";

  function readLocal(key) {
    try { return JSON.parse(localStorage.getItem(STORE + key) || "null"); } catch (e) { return null; }
  }
  function writeLocal(key, value) {
    try { localStorage.setItem(STORE + key, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
  }
  function dropLocal(key) {
    try { localStorage.removeItem(STORE + key); } catch (e) { /* ignore */ }
  }

  function setStatus(state, text) {
    var status = document.getElementById("save-status");
    if (!status) return;
    status.dataset.state = state;
    status.textContent = text;
  }

  function countWords(text) {
    var m = text.match(/[\p{L}\p{N}_]+(?:['’-][\p{L}\p{N}_]+)*/gu);
    return m ? m.length : 0;
  }

  function setupEditor() {
    var form = document.getElementById("entry-form");
    if (!form) return;
    var body = form.querySelector("textarea[name=body]");
    var counter = form.querySelector("[data-word-count]");
    var key = function () {
      var id = form.querySelector("input[name=entry]").value;
      return id ? "entry:" + id : form.dataset.draftKey;
    };
    var snapshot = function () {
      return {
        body: body.value,
        written_on: form.querySelector("input[name=written_on]").value,
        version: form.querySelector("input[name=version]").value,
        at: Date.now()
      };
    };
    var updateCount = function () {
      if (counter) { var n = countWords(body.value); counter.textContent = n + (n === 1 ? " word" : " words"); }
    };
    updateCount();

    // Text from this device that never reached the server comes back first.
    var saved = readLocal(key()) || readLocal(form.dataset.draftKey);
    if (saved && saved.body && saved.body !== body.value) {
      body.value = saved.body;
      updateCount();
      setStatus("restored", "Restored text from this device that was not saved yet. Sending it now…");
      setTimeout(function () { htmx.trigger(body, "reflect:retry"); }, 50);
    }

    body.addEventListener("input", function () {
      writeLocal(key(), snapshot());
      updateCount();
    });
    form.addEventListener("submit", function () { writeLocal(key(), snapshot()); });

    document.body.addEventListener("reflect:saved", function (event) {
      // The server has this text now: the local copy is no longer needed.
      dropLocal(form.dataset.draftKey);
      if (event.detail && event.detail.entry) {
        var current = readLocal("entry:" + event.detail.entry);
        if (!current || current.body === body.value) dropLocal("entry:" + event.detail.entry);
      }
    });
    // Show the server's explanations (expired session, conflict, invalid) instead of dropping them.
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      var code = event.detail.xhr.status;
      if (event.detail.target && event.detail.target.id === "save-status" && [401, 409, 422].indexOf(code) !== -1) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
    document.body.addEventListener("htmx:sendError", function () {
      writeLocal(key(), snapshot());
      setStatus("offline", "Offline — kept on this device. It will be sent when the connection is back.");
    });
    document.body.addEventListener("htmx:responseError", function (event) {
      if (event.detail.target && event.detail.target.id === "save-status") {
        writeLocal(key(), snapshot());
        setStatus("offline", "Not saved (the server said " + event.detail.xhr.status + ") — kept on this device. Reload the page to try again.");
      }
    });
    window.addEventListener("online", function () { htmx.trigger(body, "reflect:retry"); });
    // A hidden tab may be closed next: save now rather than in a few seconds.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && readLocal(key())) htmx.trigger(body, "reflect:retry");
    });
  }

  // A saved entry's page clears the local copies that led to it.
  function clearSavedDrafts() {
    var el = document.querySelector("[data-clear-drafts]");
    if (!el) return;
    el.dataset.clearDrafts.split(" ").forEach(dropLocal);
  }

  document.addEventListener("DOMContentLoaded", function () {
    preselectTimeZone();
    setupEditor();
    clearSavedDrafts();
  });
})();
