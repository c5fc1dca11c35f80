// Reflect on the phone: installs the service worker (static/sw.js, served at /sw.js) and keeps
// this account's offline editor. Everything works without this file.
//
// The shared-computer rule: what is kept belongs to one account. The cache is named by the
// page's owner key (<body data-owner>); every page removes the caches of any other account
// (a signed-out page removes them all); logout removes this account's after reflect.js has sent
// its unsent text. The cache holds the empty editor (no journal text) and the static files it
// needs; unsent text itself stays where reflect.js keeps it (localStorage, under the same key).
(function () {
  "use strict";
  var CACHE_PREFIX = "reflect-v1:";      // static/sw.js reads the same names
  var SHELL = "/write/offline/";         // reflect/journal/urls.py: entry_offline
  var WORKER = "/sw.js";                 // reflect/urls.py: service_worker
  var REFRESH_AFTER = 60 * 60 * 1000;    // a kept editor older than an hour is fetched again

  if (!("serviceWorker" in navigator) || !window.caches || !window.isSecureContext) return;
  var owner = document.body.dataset.owner || "";
  var ours = owner ? CACHE_PREFIX + owner : "";
  var leaving = false;

  function ownCaches(keep) {
    return caches.keys().then(function (names) {
      return names.filter(function (name) { return name.indexOf(CACHE_PREFIX) === 0 && name !== keep; });
    });
  }
  function dropCaches(keep) {
    return ownCaches(keep).then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    });
  }

  function fresh(response) {
    var date = Date.parse(response.headers.get("Date") || "");
    return !isNaN(date) && Date.now() - date < REFRESH_AFTER;
  }

  // The static files the editor needs (its styles and scripts), read from the editor itself.
  function assetsOf(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var urls = [];
    doc.querySelectorAll("link[rel~=stylesheet][href], script[src], link[rel~=icon][href]").forEach(function (el) {
      var url = new URL(el.getAttribute("href") || el.getAttribute("src"), location.href);
      if (url.origin === location.origin && urls.indexOf(url.href) === -1) urls.push(url.href);
    });
    return urls;
  }

  // Keep this account's empty editor, only when the server says it is this account's.
  function keepEditor() {
    if (!ours || leaving) return Promise.resolve();
    return caches.open(ours).then(function (cache) {
      return cache.match(SHELL).then(function (kept) {
        if (kept && fresh(kept)) return;
        return fetch(SHELL, { credentials: "same-origin", cache: "no-store", redirect: "error" }).then(function (response) {
          if (!response.ok) return;
          return response.clone().text().then(function (html) {
            if (leaving || html.indexOf('data-owner="' + owner + '"') === -1) return;  // leaving, or someone else signed in
            var wanted = assetsOf(html);
            return cache.addAll(wanted).then(function () { return cache.keys(); }).then(function (kept) {
              // Files an older editor needed (before a deploy renamed them) are not kept.
              return Promise.all(kept.filter(function (request) {
                return wanted.indexOf(request.url) === -1 && new URL(request.url).pathname !== SHELL;
              }).map(function (request) { return cache.delete(request); }));
            }).then(function () { return cache.put(SHELL, response); });
          });
        });
      });
    }).catch(function () { /* offline, or storage refused: nothing is kept */ });
  }

  // An editor opened from the offline copy is a new writing session, dated today on this device.
  function freshenOfflineCopy() {
    var day = document.body.dataset.offlineCopy;
    var form = document.getElementById("entry-form");
    if (!day || !form) return;
    var session = form.querySelector("input[name=writing_session]");
    if (session && window.crypto && crypto.randomUUID) session.value = crypto.randomUUID();
    var date = form.querySelector("input[name=written_on]");
    if (date && date.value < day) {
      if (date.max && date.max < day) date.max = day;
      date.value = day;
    }
  }

  // reflect.js announces logout once this account's unsent text has been sent. Logout does not
  // wait for this: the signed-out page it leads to removes every cache again (below).
  document.addEventListener("reflect:logout", function () {
    leaving = true;
    dropCaches("");
  });

  freshenOfflineCopy();
  dropCaches(ours).then(function () {
    return navigator.serviceWorker.register(WORKER, { scope: "/" });
  }).then(keepEditor).catch(function () { /* no worker: the site works as before */ });
})();
