// Check-in page: read a badge's QR code with the camera through the browser's own
// BarcodeDetector (Chrome on Android, Safari 17+), then submit the code as if typed.
// Without it the page keeps the manual code field and the search; nothing else is needed.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var start = document.getElementById("scan-start");
    var video = document.getElementById("scan-video");
    var form = document.getElementById("scan-form");
    var field = document.getElementById("scan-token");
    if (!start || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
    document.getElementById("scan-unsupported").hidden = true;
    start.hidden = false;
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    start.addEventListener("click", function () {
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (stream) {
          video.srcObject = stream;
          video.hidden = false;
          start.hidden = true;
          return video.play().then(function () { look(stream); });
        })
        .catch(function () {
          document.getElementById("scan-unsupported").hidden = false;
        });
    });
    function look(stream) {
      detector
        .detect(video)
        .then(function (codes) {
          if (codes.length && codes[0].rawValue) {
            stream.getTracks().forEach(function (track) { track.stop(); });
            field.value = codes[0].rawValue;
            form.submit();
          } else {
            window.setTimeout(function () { look(stream); }, 250);
          }
        })
        .catch(function () { window.setTimeout(function () { look(stream); }, 500); });
    }
  });
})();
