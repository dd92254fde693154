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
  var problem = document.getElementById("camera-problem");
  // A badge held up stays in view for a while and is read many times a second: it is sent
  // once, and again only after it was out of sight this long.
  var OUT_OF_SIGHT_MS = 3000;
  var controls = null;
  var lastText = "";
  var lastSeen = 0;

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

  function seen(text) {
    var now = Date.now();
    var again = text === lastText && now - lastSeen < OUT_OF_SIGHT_MS;
    lastText = text;
    lastSeen = now;
    return again;
  }

  start.addEventListener("click", function () {
    var reader = new window.ZXingBrowser.BrowserQRCodeReader();
    if (problem) { problem.hidden = true; }
    video.hidden = false;
    reader.decodeFromVideoDevice(undefined, video, function (result) {
      if (!result) { return; }
      var text = result.getText();
      if (seen(text)) { return; }
      field.value = text;
      form.requestSubmit();
    }).then(function (started) {
      controls = started;
      start.hidden = true;
      stop.hidden = false;
      stop.focus();
    }).catch(function () {
      // No camera, or the browser was not allowed to use it: say so, and keep the field
      // (a hardware scanner or typing) ready. The button stays to try again.
      video.hidden = true;
      if (problem) { problem.hidden = false; }
      field.focus();
    });
  });
  stop.addEventListener("click", stopCamera);
}());
