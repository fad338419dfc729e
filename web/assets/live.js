// Lectern's live regions. An element with `data-live-feed` (a Server-Sent Events URL of
// this site), `data-live-events` (the event types that concern it) and `data-live-refresh`
// (a fragment URL) is rendered again by the server, through htmx, whenever the feed
// reports one of those events: the server renders, this script only says when. The
// browser's EventSource reconnects by itself (sending Last-Event-ID); a region whose
// content says it is finished (`[data-live-done]`) closes its feed.
(function () {
  "use strict";
  function connect(region) {
    var feed = new EventSource(region.dataset.liveFeed);
    var queued = false;
    function refresh() {
      if (queued) return;
      queued = true;
      setTimeout(function () {
        queued = false;
        htmx.ajax("GET", region.dataset.liveRefresh, { target: region, swap: "innerHTML" })
          .then(function () {
            if (region.querySelector("[data-live-done]")) {
              feed.close();
              region.dataset.liveState = "done";
            }
          });
      }, 50);
    }
    (region.dataset.liveEvents || "").split(",").forEach(function (type) {
      if (type) feed.addEventListener(type, refresh);
    });
    feed.onopen = function () { region.dataset.liveState = "open"; };
    feed.onerror = function () { region.dataset.liveState = "reconnecting"; };
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live-feed]").forEach(connect);
  });
})();
