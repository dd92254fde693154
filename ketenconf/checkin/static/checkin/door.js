// The door and room pages, with JavaScript: after each answer the code field is emptied and
// focused again for the next badge (a hardware scanner types there and presses Enter), and a
// phone's camera can read the QR code. Without JavaScript the form works as a plain form.
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  if (!form) { return; }
  var field = document.getElementById("scan_token");
  var start = document.getElementById("camera-start");
  var stop = document.getElementById("camera-stop");
  var video = document.getElementById("camera-video");
  var controls = null;
  var lastText = "";
  var lastAt = 0;

  function ready() {
    field.value = "";
    field.focus();
  }

  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form || form.contains(event.detail.elt)) { ready(); }
  });

  var canUseCamera = window.ZXingBrowser && navigator.mediaDevices &&
    typeof navigator.mediaDevices.getUserMedia === "function";
  if (!canUseCamera || !start) { return; }
  start.hidden = false;

  function stopCamera() {
    if (controls) { controls.stop(); controls = null; }
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
    start.focus();
  }

  start.addEventListener("click", function () {
    var reader = new window.ZXingBrowser.BrowserQRCodeReader();
    video.hidden = false;
    reader.decodeFromVideoDevice(undefined, video, function (result) {
      if (!result) { return; }
      var text = result.getText();
      var now = Date.now();
      // The camera sees the same badge many times a second: one scan per badge held up.
      if (text === lastText && now - lastAt < 4000) { return; }
      lastText = text;
      lastAt = now;
      field.value = text;
      form.requestSubmit();
    }).then(function (started) {
      controls = started;
      start.hidden = true;
      stop.hidden = false;
      stop.focus();
    }).catch(function () {
      video.hidden = true;
      start.hidden = true;
      field.focus();
    });
  });
  stop.addEventListener("click", stopCamera);
}());
