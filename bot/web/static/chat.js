// Web chat client: a random 128-bit user id kept in localStorage, replies polled for late
// messages (a caseworker's answer), and a quick exit that forgets everything and leaves.
(function () {
  "use strict";
  var KEY = "puente.user";
  var NEUTRAL_SITE = "https://www.google.com/search?q=clima";
  var POLL_MS = 5000;
  var log = document.getElementById("log");
  var form = document.getElementById("send");
  var input = document.getElementById("text");
  var lastId = 0;
  var seen = {};

  function userId() {
    var id = localStorage.getItem(KEY);
    if (!id) {
      var bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      id = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      localStorage.setItem(KEY, id);
    }
    return id;
  }

  function newMessageId() {
    var bytes = new Uint8Array(8);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // WhatsApp-style *bold* becomes <strong>; everything else stays text (never innerHTML).
  function appendFormatted(parent, text) {
    var parts = text.split(/\*([^*\n]+)\*/);
    parts.forEach(function (part, i) {
      if (i % 2 === 1) {
        var strong = document.createElement("strong");
        strong.textContent = part;
        parent.appendChild(strong);
      } else if (part) {
        parent.appendChild(document.createTextNode(part));
      }
    });
  }

  function bubble(kind, text) {
    var div = document.createElement("div");
    div.className = "msg " + kind;
    if (kind === "bot") { appendFormatted(div, text); } else { div.textContent = text; }
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function showReply(reply) {
    if (reply.id && seen[reply.id]) { return; }
    if (reply.id) { seen[reply.id] = true; lastId = Math.max(lastId, reply.id); }
    var div = bubble("bot", reply.text);
    if (reply.options && reply.options.length) {
      var box = document.createElement("div");
      box.className = "options";
      reply.options.forEach(function (label, i) {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = (i + 1) + ". " + label;
        b.addEventListener("click", function () { send(String(i + 1), label); });
        box.appendChild(b);
      });
      div.appendChild(box);
    }
  }

  function send(text, shown) {
    bubble("user", shown || text);
    fetch("/api/v1/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: userId(), text: text, id: newMessageId() })
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      if (!res.ok) { bubble("error", res.body.error || "Error"); return; }
      res.body.replies.forEach(showReply);
    }).catch(function () {
      bubble("error", "Sin conexión. No connection. Intenta de nuevo / try again.");
    });
  }

  function poll() {
    if (document.hidden || !localStorage.getItem(KEY)) { return; }
    fetch("/api/v1/chat?user=" + encodeURIComponent(userId()) + "&after=" + lastId)
      .then(function (r) { return r.ok ? r.json() : { replies: [] }; })
      .then(function (body) { body.replies.forEach(showReply); })
      .catch(function () { /* offline: try again at the next tick */ });
  }

  function quickExit() {
    try { localStorage.removeItem(KEY); sessionStorage.clear(); } catch (e) { /* ignore */ }
    log.textContent = "";
    document.title = "Clima";
    window.location.replace(NEUTRAL_SITE);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(text);
  });
  document.getElementById("quick-exit").addEventListener("click", quickExit);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { quickExit(); } });
  window.PuenteChat = { quickExit: quickExit, userId: userId };
  if (localStorage.getItem(KEY)) { poll(); }
  setInterval(poll, POLL_MS);
  input.focus();
})();
