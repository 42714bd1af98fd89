/* Live coverage page: the HLS player, new entries over Server-Sent Events, fresh "منذ …" times.
   The page works without this file: entries are rendered by the server. */
(function () {
  "use strict";

  var root = document.querySelector(".liveblog");
  if (!root) return;
  var arabicDigits = root.getAttribute("data-digits") === "arabic";

  function localDigits(text) {
    if (!arabicDigits) return text;
    return text.replace(/[0-9]/g, function (d) {
      return String.fromCharCode(0x660 + Number(d));
    });
  }

  // The same words and plural forms as the server's `ago` filter (khabar/locale/ar).
  function plural(n, forms) {
    var k = n === 0 ? 0 : n === 1 ? 1 : n === 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : n % 100 >= 11 ? 4 : 5;
    return localDigits(forms[k].replace("%d", String(n)));
  }
  var MINUTES = ["الآن", "منذ دقيقة", "منذ دقيقتين", "منذ %d دقائق", "منذ %d دقيقة", "منذ %d دقيقة"];
  var HOURS = ["الآن", "منذ ساعة", "منذ ساعتين", "منذ %d ساعات", "منذ %d ساعة", "منذ %d ساعة"];

  function ago(date) {
    var minutes = Math.floor((Date.now() - date.getTime()) / 60000);
    if (minutes < 0) return null; // a clock ahead of ours: keep what the server wrote
    if (minutes < 1) return "الآن";
    if (minutes < 60) return plural(minutes, MINUTES);
    var hours = Math.floor(minutes / 60);
    if (hours < 24) return plural(hours, HOURS);
    return null; // older than a day, the server wrote the date, which does not change
  }

  function refreshTimes() {
    var spans = root.querySelectorAll("[data-ago]");
    for (var i = 0; i < spans.length; i++) {
      var time = spans[i].closest("time");
      if (!time) continue;
      var text = ago(new Date(time.getAttribute("datetime")));
      if (text && spans[i].textContent !== text) spans[i].textContent = text;
    }
  }

  /* Player ------------------------------------------------------------------------------- */

  function setupPlayer() {
    var video = document.getElementById("live-video");
    if (!video) return;
    var src = video.getAttribute("data-src");
    var note = document.getElementById("live-player-note");

    function say(text) {
      if (!note) return;
      note.textContent = text;
      note.hidden = false;
    }
    function ready() {
      root.setAttribute("data-player", "ready");
    }

    if (video.canPlayType("application/vnd.apple.mpegurl")) {
      root.setAttribute("data-player", "native");
      root.setAttribute("data-player-kind", "native");
      video.addEventListener("loadedmetadata", ready);
      video.addEventListener("error", function () {
        say("تعذّر تحميل البث الآن. سنحاول مجددًا عند إعادة تحميل الصفحة.");
      });
      if (video.getAttribute("src") !== src) video.src = src;
      return;
    }
    if (window.Hls && window.Hls.isSupported()) {
      var source = video.querySelector("source");
      if (source) source.remove(); // hls.js feeds the element itself through Media Source
      root.setAttribute("data-player", "hls.js");
      root.setAttribute("data-player-kind", "hls.js");
      var hls = new window.Hls({ lowLatencyMode: true });
      hls.on(window.Hls.Events.MANIFEST_PARSED, ready);
      hls.on(window.Hls.Events.ERROR, function (event, data) {
        if (!data.fatal) return;
        if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
        } else if (data.type === window.Hls.ErrorTypes.NETWORK_ERROR) {
          say("انقطع البث مؤقتًا، نحاول الاتصال به مجددًا…");
          window.setTimeout(function () { hls.startLoad(); }, 3000);
        } else {
          say("تعذّر تشغيل البث في هذا المتصفح. التحديثات المكتوبة متاحة أدناه.");
          hls.destroy();
        }
      });
      hls.loadSource(src);
      hls.attachMedia(video);
      return;
    }
    root.setAttribute("data-player", "none");
    say("لا يدعم هذا المتصفح تشغيل البث المباشر (HLS). جرّب متصفحًا أحدث، وتابع التحديثات المكتوبة أدناه.");
  }

  /* Live blog over Server-Sent Events ----------------------------------------------------- */

  function setupStream() {
    var feed = document.getElementById("live-feed");
    var url = feed && feed.getAttribute("data-stream");
    if (!url || !window.EventSource) return;
    var announcer = document.getElementById("live-announcer");
    var status = document.getElementById("live-connection");

    function showStatus(text) {
      if (!status) return;
      status.textContent = text;
      status.hidden = false;
    }

    function insert(data) {
      if (document.getElementById("entry-" + data.id)) return; // already on the page
      var holder = document.createElement("template");
      holder.innerHTML = data.html.trim();
      var entry = holder.content.firstElementChild;
      if (!entry) return;
      entry.classList.add("is-new");
      var empty = document.getElementById("live-empty");
      if (empty) empty.remove();
      feed.prepend(entry);
      if (announcer) {
        var title = entry.querySelector(".liveblog-title");
        var words = (title || entry.querySelector(".liveblog-text") || entry).textContent.trim();
        announcer.textContent = "تحديث جديد: " + words.slice(0, 140);
      }
      root.setAttribute("data-received", String(Number(root.getAttribute("data-received") || 0) + 1));
    }

    function parsed(event) {
      try {
        return JSON.parse(event.data);
      } catch (err) {
        showStatus("وصل تحديث تعذّرت قراءته؛ أعد تحميل الصفحة لرؤيته.");
        return null;
      }
    }

    // An editor corrected an entry: show the new text in its place. Changes may arrive twice
    // (after a reconnect), so an older one than what the entry shows is skipped.
    function edit(data) {
      var old = document.getElementById("entry-" + data.id);
      if (!old || Number(old.getAttribute("data-change") || 0) >= data.change) return;
      var holder = document.createElement("template");
      holder.innerHTML = data.html.trim();
      var entry = holder.content.firstElementChild;
      if (!entry) return;
      entry.setAttribute("data-change", String(data.change));
      old.replaceWith(entry);
      root.setAttribute("data-edited", String(Number(root.getAttribute("data-edited") || 0) + 1));
    }

    function remove(data) {
      var old = document.getElementById("entry-" + data.id);
      if (old) old.remove();
    }

    // The coverage went off the air: say so where the page says it is on, and stop listening.
    function ended(data) {
      if (data.live) return;
      var marks = root.querySelectorAll(".liveblog-status");
      for (var i = 0; i < marks.length; i++) {
        marks[i].className = "liveblog-status";
        marks[i].textContent = "انتهت";
      }
      root.setAttribute("data-live", "ended");
      if (announcer) announcer.textContent = "انتهت التغطية المباشرة.";
      showStatus("انتهت التغطية المباشرة، ولن تصل تحديثات جديدة.");
      source.close();
    }

    var source = new EventSource(url);
    source.onopen = function () {
      root.setAttribute("data-stream", "open");
      showStatus("تصل التحديثات الجديدة تلقائيًا دون إعادة تحميل الصفحة.");
    };
    source.onmessage = function (event) {
      var data = parsed(event);
      if (data) insert(data);
    };
    source.addEventListener("edit", function (event) {
      var data = parsed(event);
      if (data) edit(data);
    });
    source.addEventListener("remove", function (event) {
      var data = parsed(event);
      if (data) remove(data);
    });
    source.addEventListener("status", function (event) {
      var data = parsed(event);
      if (data) ended(data);
    });
    // Under a WSGI server each response ends after what was waiting ("bye"): reconnecting
    // then is the normal rhythm, not a failure worth telling the reader about.
    var expectedEnd = false;
    source.addEventListener("bye", function () { expectedEnd = true; });
    source.onerror = function () {
      if (expectedEnd) {
        expectedEnd = false;
        return;
      }
      // EventSource reconnects by itself, sending Last-Event-ID; tell the reader meanwhile.
      root.setAttribute("data-stream", "reconnecting");
      showStatus("انقطع الاتصال بالتحديثات، نحاول مجددًا…");
    };
    window.addEventListener("pagehide", function () { source.close(); });
  }

  // A permalink (#entry-N) to an entry that has left the first page: open the page holding it.
  function followPermalink() {
    var match = /^#entry-(\d+)$/.exec(window.location.hash);
    if (!match || document.getElementById("entry-" + match[1])) return false;
    if (/[?&](at|before)=/.test(window.location.search)) return false;
    window.location.replace(window.location.pathname + "?at=" + match[1] + window.location.hash);
    return true;
  }

  if (followPermalink()) return;
  setupPlayer();
  setupStream();
  refreshTimes();
  window.setInterval(refreshTimes, 30000);
})();
