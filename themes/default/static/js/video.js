// newsroom video embeds: nothing is loaded from YouTube until the reader clicks play.
// The page holds a link to the video on YouTube with its ID in data-youtube (newsroom/figures.py);
// a click puts the youtube-nocookie.com player in its place. Without this script the link simply
// opens the video on YouTube; a click with Ctrl, Shift or the middle button still does.
(function () {
  "use strict";
  var VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

  function player(link) {
    var id = link.getAttribute("data-youtube");
    if (!VIDEO_ID.test(id)) return null;
    var start = parseInt(link.getAttribute("data-start") || "0", 10);
    var frame = document.createElement("iframe");
    frame.src = "https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1" + (start > 0 ? "&start=" + start : "");
    frame.title = link.getAttribute("data-title") || "Video";
    frame.className = "video-player";
    frame.allow = "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    return frame;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-youtube]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var frame = player(link);
    if (!frame) return;
    event.preventDefault();
    link.replaceWith(frame);
    frame.focus();
  });
})();
