// Badge scanner (check-in, lead capture, "we met"): read a badge's QR code with the camera
// through the browser's own BarcodeDetector (Chrome on Android, Safari 17+), then submit the
// code as if typed. A form with several code fields (data-scan-field, e.g. staff scanning
// both sides of a meeting) fills them in turn and submits once all are filled.
// Without BarcodeDetector the page keeps the manual code field(s) and the search.
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
    if (!start || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
    var fields = Array.prototype.slice.call(form.querySelectorAll("[data-scan-field]"));
    if (!fields.length) fields = [document.getElementById("scan-token")];
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
    function taken(value) {
      return fields.some(function (field) { return field.value === value; });
    }
    function look(stream) {
      detector
        .detect(video)
        .then(function (codes) {
          var value = codes.length && codes[0].rawValue;
          if (value && !taken(value)) {
            var empty = fields.filter(function (field) { return !field.value; });
            if (empty.length) empty[0].value = value;
            else fields[fields.length - 1].value = value;
            if (empty.length <= 1) {
              stream.getTracks().forEach(function (track) { track.stop(); });
              form.submit();
              return;
            }
          }
          window.setTimeout(function () { look(stream); }, 250);
        })
        .catch(function () { window.setTimeout(function () { look(stream); }, 500); });
    }
  });
})();
