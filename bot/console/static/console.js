// Puente console: live queue, live transcript, canned replies. No framework, no build step.
(function () {
  "use strict";
  var REFRESH_MS = 5000;
  var body = document.body;

  function minutesSince(iso) {
    return Math.max(0, (Date.now() - Date.parse(iso)) / 60000);
  }

  function waitText(minutes) {
    if (minutes < 1) return "<1 min";
    if (minutes < 90) return Math.round(minutes) + " min";
    if (minutes < 2880) return (minutes / 60).toFixed(1) + " h";
    return (minutes / 1440).toFixed(1) + " d";
  }

  function updateWaits() {
    document.querySelectorAll(".wait[data-since]").forEach(function (el) {
      el.textContent = waitText(minutesSince(el.getAttribute("data-since")));
    });
  }

  function signedOut(response) {
    if (response.status === 401) {
      window.location.href = "/console/login";
      return true;
    }
    return false;
  }

  function urgentIds() {
    var ids = {};
    document.querySelectorAll(".case[data-urgent='1']").forEach(function (el) {
      ids[el.getAttribute("data-id")] = true;
    });
    return ids;
  }

  function startQueue() {
    var url = body.getAttribute("data-rows-url");
    var box = document.getElementById("queue");
    var state = document.getElementById("refresh-state");
    var baseTitle = document.title;

    function showCount() {
      var waiting = document.getElementById("count-waiting");
      var n = waiting ? waiting.textContent.trim() : "0";
      document.title = (n !== "0" ? "(" + n + ") " : "") + baseTitle;
    }

    function refresh() {
      if (document.activeElement && box.contains(document.activeElement) &&
          document.activeElement.tagName === "BUTTON") {
        return; // do not swap the list under a caseworker's click
      }
      var before = urgentIds();
      var marker = box.querySelector(".queue-version");
      var version = marker ? marker.getAttribute("data-version") : "";
      fetch(url + "?version=" + encodeURIComponent(version), { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (signedOut(response)) return null;
          if (response.status === 204) return "";
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          if (html === null) return;
          if (html === "") {
            state.textContent = "Checked " + new Date().toLocaleTimeString();
            return;
          }
          box.innerHTML = html;
          Object.keys(urgentIds()).forEach(function (id) {
            if (!before[id]) {
              var item = box.querySelector(".case[data-id='" + id + "']");
              if (item) item.classList.add("fresh");
            }
          });
          updateWaits();
          showCount();
          state.textContent = "Updated " + new Date().toLocaleTimeString();
        })
        .catch(function () {
          state.textContent = "Cannot reach the server; retrying.";
        });
    }

    updateWaits();
    showCount();
    setInterval(refresh, REFRESH_MS);
    setInterval(updateWaits, 15000);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) refresh();
    });
  }

  function startCase() {
    var url = body.getAttribute("data-transcript-url");
    var box = document.getElementById("transcript");

    function atBottom() {
      return box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    }

    function version() {
      var list = box.querySelector(".lines");
      return list ? list.getAttribute("data-version") : "";
    }

    function refresh() {
      fetch(url + "?version=" + encodeURIComponent(version()), { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (signedOut(response) || response.status === 204 || !response.ok) return null;
          return response.text();
        })
        .then(function (html) {
          if (html === null) return;
          var stick = atBottom();
          box.innerHTML = html;
          if (stick) box.scrollTop = box.scrollHeight;
        })
        .catch(function () {});
    }

    box.scrollTop = box.scrollHeight;
    setInterval(refresh, REFRESH_MS);

    var canned = document.getElementById("canned");
    var text = document.getElementById("reply-text");
    if (canned && text) {
      canned.addEventListener("change", function () {
        var option = canned.options[canned.selectedIndex];
        var chosen = option ? option.getAttribute("data-text") : "";
        if (chosen) {
          text.value = chosen;
          text.focus();
        }
      });
    }
    document.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      });
    });
  }

  var page = body.getAttribute("data-page");
  if (page === "queue") startQueue();
  if (page === "case") startCase();
})();
