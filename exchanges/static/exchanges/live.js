// Live updates of a channel page: new messages appear, hidden ones disappear.
// Without JavaScript (or without a socket) the page still works: post and reload.
(function () {
  "use strict";
  var list = document.getElementById("threads");
  if (!list || !window.WebSocket) return;
  var status = document.getElementById("live-status");
  var thread = list.dataset.thread;
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
    list.dataset.livePath + "?lang=" + encodeURIComponent(list.dataset.language || "fr");
  var delay = 1000;

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function published(data) {
    if (document.getElementById("message-" + data.id)) return;
    var article = fragment(data.html);
    if (data.parent) {
      var replies = document.getElementById("replies-" + data.parent);
      if (!replies) return;
      var item = document.createElement("li");
      item.appendChild(article);
      replies.appendChild(item);
    } else {
      if (thread) return;
      var li = document.createElement("li");
      li.className = "thread";
      li.id = "thread-" + data.id;
      li.appendChild(article);
      var ol = document.createElement("ol");
      ol.className = "replies";
      ol.id = "replies-" + data.id;
      li.appendChild(ol);
      list.appendChild(li);
      var empty = document.getElementById("no-threads");
      if (empty) empty.remove();
    }
    if (status) status.textContent = list.dataset.newLabel || "";
  }

  function removed(data) {
    var article = document.getElementById("message-" + data.id);
    if (!article) return;
    var holder = document.getElementById("thread-" + data.id) || article.parentElement;
    (holder && holder.tagName === "LI" ? holder : article).remove();
  }

  function connect() {
    var socket = new WebSocket(url);
    var ping;
    socket.onopen = function () {
      delay = 1000;
      list.dataset.live = "on";
      ping = setInterval(function () { socket.send('{"type":"ping"}'); }, 25000);
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "published") published(data);
      else if (data.type === "removed") removed(data);
    };
    socket.onclose = function (event) {
      clearInterval(ping);
      list.dataset.live = "off";
      if (event.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
