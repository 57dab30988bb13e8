// Emergency alerts: ask the server every 10 seconds whether a new one is open; if so, play the
// sound and reload the page so it shows at the top. A browser may block sound until the page
// has been clicked once: then a line says so, and the first click plays it.
(function () {
  var box = document.getElementById("sos-open");
  if (!box) return;
  var sound = document.getElementById("sos-sound");
  var hint = document.getElementById("sos-sound-hint");
  var seen = parseInt(box.getAttribute("data-newest") || "0", 10);
  var key = "sos:heard";
  function ring() {
    if (!sound) return Promise.resolve();
    var played = sound.play();
    if (played && played.catch) {
      return played.catch(function () {
        if (hint) hint.hidden = false;
        document.addEventListener("click", function () { sound.play(); }, { once: true });
      });
    }
    return Promise.resolve();
  }
  // A new alert shown since the last page: ring once for it.
  var heard = parseInt(sessionStorage.getItem(key) || "0", 10);
  if (seen > heard) {
    ring();
    sessionStorage.setItem(key, String(seen));
  }
  function check() {
    fetch(box.getAttribute("data-poll"), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && data.newest_id > seen) {
          ring().then(function () { window.location.reload(); });
        }
      })
      .catch(function () {});
  }
  setInterval(check, 10000);
})();
