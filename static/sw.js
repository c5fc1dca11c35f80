// Reflect's service worker: Write opens offline, for the account signed in on this device.
//
// What it keeps lives in one cache per account, named "reflect-v1:<owner key>" (the key of
// <body data-owner>): the empty editor (/write/offline/, no journal text) and the static files
// that page needs. static/js/pwa.js fills it, removes every other account's cache on each page
// (all of them on a signed-out page) and removes this account's at logout. This worker never
// stores a page: it only reads that cache when the network cannot be reached.
// Served at /sw.js by reflect/pwa.py so that its scope is the whole site.
"use strict";

var CACHE_PREFIX = "reflect-v1:";
var WRITE = "/write/";            // reflect/journal/urls.py: entry_new
var SHELL = "/write/offline/";    // reflect/journal/urls.py: entry_offline
var STATIC = "/static/";          // settings.STATIC_URL

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

// The one account whose copy is on this device; none when there are several (pwa.js keeps one).
function accountCache() {
  return caches.keys().then(function (names) {
    var ours = names.filter(function (name) { return name.indexOf(CACHE_PREFIX) === 0; });
    return ours.length === 1 ? caches.open(ours[0]) : null;
  });
}

function today() {
  var d = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
}

// The kept editor, marked as an offline copy so that pwa.js gives it a new writing session.
function offlineEditor() {
  return accountCache().then(function (cache) {
    return cache ? cache.match(SHELL) : null;
  }).then(function (kept) {
    if (!kept) return null;
    return kept.text().then(function (html) {
      html = html.replace("<body", '<body data-offline-copy="' + today() + '"');
      return new Response(html, { status: 200, headers: kept.headers });
    });
  });
}

// The kept stylesheets (static files, the same for everyone), for the offline notice.
function keptStyles() {
  return accountCache().then(function (cache) { return cache ? cache.keys() : []; }).then(function (requests) {
    return requests.map(function (r) { return new URL(r.url).pathname; }).filter(function (path) {
      return path.indexOf(STATIC) === 0 && /\.css$/.test(path);
    });
  });
}

function offlineNotice(canWrite, styles) {
  var links = styles.map(function (href) { return '<link rel="stylesheet" href="' + encodeURI(href) + '">'; }).join("");
  var html = '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>Offline · Reflect</title>" + links + '</head><body><main id="main"><h1>You are offline</h1>' +
    "<p>This page needs a connection to the server. Nothing here is kept on this device.</p>" +
    (canWrite ? '<p><a href="' + WRITE + '">Write</a> works offline: what you type is kept on this ' +
      "device for your account and sent when the connection is back.</p>" : "") +
    "</main></body></html>";
  return new Response(html, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'",
      "Cache-Control": "no-store"
    }
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return offlineEditor().then(function (editor) {
        if (editor && url.pathname === WRITE) return editor;
        return keptStyles().then(function (styles) { return offlineNotice(Boolean(editor), styles); });
      });
    }));
  } else if (url.pathname.indexOf(STATIC) === 0) {
    event.respondWith(fetch(request).catch(function () {
      return accountCache().then(function (cache) {
        return (cache && cache.match(request, { ignoreSearch: true })) || Response.error();
      }).then(function (found) { return found || Response.error(); });
    }));
  }
});
