/* Most read: tell the server once that this article was read.
 * Pages are served from a full-page cache, so the server never sees a view; this beacon is
 * the only count. The script tag carries the address: data-read="/api/read/<id>/". */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-read");
  if (!url) return;
  // Readers who ask not to be tracked, and crawlers that run scripts, are not counted.
  if (navigator.doNotTrack === "1" || window.doNotTrack === "1") return;
  if (/bot|crawl|spider|slurp|preview|lighthouse/i.test(navigator.userAgent)) return;

  var sent = false;
  function send() {
    if (sent || document.prerendering || document.visibilityState !== "visible") return;
    sent = true;
    if (navigator.sendBeacon && navigator.sendBeacon(url)) return;
    // Old browsers: a keepalive fetch does the same and outlives the page too.
    if (window.fetch) fetch(url, { method: "POST", keepalive: true, credentials: "omit" });
  }

  // A page prerendered or opened in a background tab has not been read yet: wait to be seen.
  document.addEventListener("prerenderingchange", send);
  document.addEventListener("visibilitychange", send);
  send();
})();
