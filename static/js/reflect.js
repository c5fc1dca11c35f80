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

  // Unsent text is kept on this device until the server has it. Every copy belongs to one
  // account (the page's data-owner key): it is stored under that key, carries it, and is only
  // ever restored or sent for that same account. Another person who signs in on this browser
  // never sees it.
  var OWNER = document.body ? (document.body.dataset.owner || "") : "";
  var PREFIX = "reflect:" + OWNER + ":draft:";
  var LEGACY = "reflect:draft:";  // before copies had owners: nobody can tell whose they are

  function storage() { try { return window.localStorage; } catch (e) { return null; } }

  function readLocal(key) {
    var store = storage();
    if (!OWNER || !store) return null;
    var value;
    try { value = JSON.parse(store.getItem(PREFIX + key) || "null"); } catch (e) { return null; }
    return value && value.owner === OWNER ? value : null;
  }
  function writeLocal(key, value) {
    var store = storage();
    if (!OWNER || !store || value.owner !== OWNER) return;
    try { store.setItem(PREFIX + key, JSON.stringify(value)); } catch (e) { /* full or off */ }
  }
  function dropLocal(key) {
    var store = storage();
    if (store) { try { store.removeItem(PREFIX + key); } catch (e) { /* ignore */ } }
  }
  function ownKeys() {
    var store = storage(), keys = [];
    if (!OWNER || !store) return keys;
    for (var i = 0; i < store.length; i++) {
      var name = store.key(i);
      if (name && name.indexOf(PREFIX) === 0) keys.push(name.slice(PREFIX.length));
    }
    return keys;
  }
  function dropLegacyCopies() {
    var store = storage();
    if (!store) return;
    for (var i = store.length - 1; i >= 0; i--) {
      var name = store.key(i);
      if (name && name.indexOf(LEGACY) === 0) store.removeItem(name);
    }
  }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  // After a new login the browser holds a new CSRF token: give it to htmx and every form.
  function useCsrfToken(token) {
    document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": token }));
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) { input.value = token; });
  }

  // Who is signed in on this browser now: {authenticated, owner, csrf}.
  function sessionStatus() {
    var url = document.body.dataset.sessionUrl;
    if (!url) return Promise.resolve({ authenticated: false });
    return fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : { authenticated: false }; })
      .catch(function () { return { authenticated: false, offline: true }; });
  }

  // Send one local copy as an autosave; resolves true when the server has it.
  function sendCopy(copy) {
    var url = document.body.dataset.autosaveUrl;
    if (!url || !copy || copy.owner !== OWNER) return Promise.resolve(false);
    var data = new FormData();
    ["entry", "version", "prompt", "written_on", "body", "writing_session", "owner"].forEach(function (name) {
      data.append(name, copy[name] == null ? "" : copy[name]);
    });
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" }
    }).then(function (r) { return r.ok; }).catch(function () { return false; });
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
    if (!form || !OWNER) return;
    var body = form.querySelector("textarea[name=body]");
    var counter = form.querySelector("[data-word-count]");
    var field = function (name) { var el = form.querySelector("input[name=" + name + "]"); return el ? el.value : ""; };
    var pageOwner = field("owner");
    var foreign = pageOwner !== OWNER;  // cannot happen on a fresh page; kept as a guard
    var expired = false, submitting = false, polling = null;
    var key = function () {
      var id = field("entry");
      return id ? "entry:" + id : form.dataset.draftKey;
    };
    var snapshot = function () {
      return {
        owner: pageOwner, body: body.value, written_on: field("written_on"), version: field("version"),
        entry: field("entry"), prompt: field("prompt"), writing_session: field("writing_session"), at: Date.now()
      };
    };
    var keep = function () {
      if (foreign) return;
      if (body.value.trim()) writeLocal(key(), snapshot()); else dropLocal(key());
    };
    var updateCount = function () {
      if (counter) { var n = countWords(body.value); counter.textContent = n + (n === 1 ? " word" : " words"); }
    };
    updateCount();

    // Text from this device, written by this account, that never reached the server comes back.
    var saved = readLocal(key()) || readLocal(form.dataset.draftKey);
    if (!foreign && saved && saved.body && saved.body !== body.value) {
      body.value = saved.body;
      updateCount();
      setStatus("restored", "Restored text from this device that was not saved yet. Sending it now…");
      setTimeout(function () { htmx.trigger(body, "reflect:retry"); }, 50);
    } else if (!foreign && body.value !== body.defaultValue) {
      // Text typed before this script ran (the editor shows, and takes typing, while the
      // scripts are still arriving on a slow connection) had no listener to hear it: htmx
      // takes it as the starting value, so it would go only with a next keystroke, and never
      // if the person stopped there. It is kept and sent now. (An unsent copy from this
      // device, above, still comes back first, as the page says: its loss would be silent.)
      keep();
      setTimeout(function () { htmx.trigger(body, "reflect:retry"); }, 50);
    }

    // A resumed draft opens with the cursor at the end of its text, ready to carry on.
    if (body.hasAttribute("autofocus") && body.value) {
      body.focus();
      body.setSelectionRange(body.value.length, body.value.length);
      body.scrollTop = body.scrollHeight;
    }

    body.addEventListener("input", function () { keep(); updateCount(); });

    // Signed in again (in another tab, or here after Save): carry on with the new token, for the
    // same account only.
    var resume = function (status) {
      if (!status.authenticated) return false;
      stopPolling();
      expired = false;
      if (status.owner !== pageOwner) {
        foreign = true;
        setStatus("not-yours", "Another account is signed in on this browser now. This text stays on this device for the account that wrote it and is not sent.");
        return false;
      }
      useCsrfToken(status.csrf);
      setStatus("restored", "You are signed in again. Sending your text…");
      return true;
    };
    var checkSession = function () {
      return sessionStatus().then(function (status) {
        if (resume(status) && !submitting) htmx.trigger(body, "reflect:retry");
        return status;
      });
    };
    var startPolling = function () {
      expired = true;
      keep();
      if (!polling) polling = setInterval(checkSession, 3000);
    };
    var stopPolling = function () { if (polling) { clearInterval(polling); polling = null; } };
    window.addEventListener("focus", function () { if (expired) checkSession(); });
    document.body.addEventListener("reflect:session-expired", startPolling);
    document.body.addEventListener("reflect:not-yours", function () { foreign = true; stopPolling(); });

    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.hasAttribute("formaction")) return;  // preview
      keep();
      if (foreign) { event.preventDefault(); return; }
      if (expired) {
        // Log in first, then this Save goes through with the text; nothing is sent meanwhile.
        event.preventDefault();
        sessionStatus().then(function (status) {
          if (resume(status)) { submitting = true; form.submit(); return; }
          if (!status.authenticated) { submitting = true; form.submit(); }  // the server keeps it
        });
        return;
      }
      submitting = true;  // pending autosaves of this page are now stale
    });
    // One writing session makes one entry: no autosave once Save has been pressed, none from a
    // page that belongs to another account.
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      if (event.detail.elt === body && (submitting || foreign)) event.preventDefault();
    });

    document.body.addEventListener("reflect:saved", function (event) {
      // The server has this text now: the local copy is no longer needed.
      dropLocal(form.dataset.draftKey);
      if (event.detail && event.detail.entry) {
        var current = readLocal("entry:" + event.detail.entry);
        if (!current || current.body === body.value) dropLocal("entry:" + event.detail.entry);
      }
    });
    // Show the server's explanations (expired session, conflict, invalid, another account).
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      var xhr = event.detail.xhr, code = xhr.status;
      if (!event.detail.target || event.detail.target.id !== "save-status") return;
      var ours = code === 403 && (xhr.getResponseHeader("HX-Trigger") || "").indexOf("reflect:not-yours") !== -1;
      if ([401, 409, 422].indexOf(code) !== -1 || ours) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      } else if (code === 403) {
        // The CSRF token went stale (a login elsewhere): find out who is signed in now.
        event.detail.shouldSwap = false;
        keep();
        checkSession().then(function (status) { if (!status.authenticated) startPolling(); });
      }
    });
    document.body.addEventListener("htmx:sendError", function () {
      keep();
      setStatus("offline", "Offline — kept on this device. It will be sent when the connection is back.");
    });
    // No answer in time (AUTOSAVE_TIMEOUT_MS): htmx gives the request up, which frees the
    // queue for the next one; the text stays on this device and is sent again shortly.
    document.body.addEventListener("htmx:timeout", function (event) {
      if (event.detail.elt !== body) return;
      keep();
      setStatus("offline", "No answer from the server yet — kept on this device. It will be sent again.");
      setTimeout(function () { htmx.trigger(body, "reflect:retry"); }, 2000);
    });
    document.body.addEventListener("htmx:responseError", function (event) {
      var code = event.detail.xhr.status;
      if (event.detail.target && event.detail.target.id === "save-status" && code !== 403) {
        keep();
        setStatus("offline", "Not saved (the server said " + code + ") — kept on this device. It will be sent again.");
      }
    });
    window.addEventListener("online", function () { htmx.trigger(body, "reflect:retry"); });
    // A hidden tab may be closed next: save now rather than in a few seconds.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && !submitting && readLocal(key())) htmx.trigger(body, "reflect:retry");
    });
  }

  // Logging out first sends what is unsent, then removes this account's copies. What cannot be
  // sent stays on this device for this account only, and the page says so.
  // Leaving, "reflect:logout" tells static/js/pwa.js to remove this account's offline caches.
  function forgetDevice() { document.dispatchEvent(new CustomEvent("reflect:logout")); }
  function setupLogout() {
    document.querySelectorAll("form[data-logout]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.flushed === "1") { forgetDevice(); return; }
        event.preventDefault();
        var keys = ownKeys();
        Promise.all(keys.map(function (key) {
          return sendCopy(readLocal(key)).then(function (sent) { if (sent) dropLocal(key); return sent; });
        })).then(function (results) {
          var unsent = results.filter(function (sent) { return !sent; }).length;
          form.dataset.flushed = "1";
          if (!unsent) { forgetDevice(); form.submit(); return; }
          var status = form.querySelector("[data-logout-status]");
          if (status) {
            status.textContent = (unsent === 1 ? "1 text" : unsent + " texts") + " could not be sent. " +
              "It stays on this device for your account only, and is sent when you next write here. Press Log out again to leave anyway.";
          }
        });
      });
    });
  }

  // A saved entry's page clears the local copies that led to it.
  function clearSavedDrafts() {
    var el = document.querySelector("[data-clear-drafts]");
    if (!el) return;
    el.dataset.clearDrafts.split(" ").forEach(dropLocal);
  }

  // Entry page: clicking a highlight in the text chooses it in the one report control.
  function setupHighlightReports() {
    var select = document.querySelector("select[data-report-highlight]");
    if (!select) return;
    document.body.classList.add("js-highlights");
    function choose(number) {
      document.querySelectorAll("mark.is-chosen").forEach(function (m) { m.classList.remove("is-chosen"); });
      document.querySelectorAll('mark[data-highlight="' + number + '"]').forEach(function (m) { m.classList.add("is-chosen"); });
    }
    document.addEventListener("click", function (event) {
      var mark = event.target.closest ? event.target.closest("mark[data-highlight]") : null;
      if (!mark) return;
      select.value = mark.getAttribute("data-highlight");
      choose(select.value);
      select.focus();
    });
    select.addEventListener("change", function () { choose(select.value); });
  }

  // Invitation links: a Copy button beside the selectable field (shown only with JavaScript).
  function setupCopyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = document.querySelector('[data-copy-status="' + button.getAttribute("data-copy") + '"]');
      if (!field) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        field.select();
        var done = function () { if (status) status.textContent = "Link copied."; };
        var fallback = function () {
          if (status) status.textContent = "Selected: press Ctrl+C (or Cmd+C) to copy.";
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  // The editor is never shown from the back/forward cache: it would be stale.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.getElementById("entry-form")) window.location.reload();
  });

  document.addEventListener("DOMContentLoaded", function () {
    OWNER = document.body.dataset.owner || "";
    PREFIX = "reflect:" + OWNER + ":draft:";
    dropLegacyCopies();
    preselectTimeZone();
    setupEditor();
    setupLogout();
    clearSavedDrafts();
    setupHighlightReports();
    setupCopyButtons();
  });
})();
