// Loud on a refusal (a low double buzz and a vibration), a short tick on a good scan; the
// cursor always goes back to the scan box so a keyboard-wedge scanner can go on at once.
(() => {
  let audio;
  function beep(ok) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const now = audio.currentTime;
      const tones = ok ? [[1046, 0, 0.07]] : [[220, 0, 0.2], [165, 0.25, 0.5]];
      for (const [hz, start, stop] of tones) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = ok ? "sine" : "square";
        osc.frequency.value = hz;
        gain.gain.value = ok ? 0.1 : 0.25;
        osc.connect(gain).connect(audio.destination);
        osc.start(now + start);
        osc.stop(now + stop);
      }
    } catch (error) { /* no sound: the red message still says it */ }
    if (!ok && navigator.vibrate) navigator.vibrate([150, 80, 150]);
  }
  document.body.addEventListener("htmx:afterSettle", () => {
    const panel = document.getElementById("pack-panel");
    if (!panel) return;
    if (panel.dataset.beep) beep(panel.dataset.beep === "ok");
    const input = panel.querySelector("[autofocus]");
    if (input) { input.focus(); input.select(); }
  });

  // Phones: read the barcode with the camera where the browser can (BarcodeDetector).
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  document.documentElement.classList.add("camera-ready");
  const view = document.getElementById("camera-view");
  const video = view.querySelector("video");
  let stream = null;
  function stop() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    view.classList.remove("on");
  }
  view.querySelector("[data-camera-close]").addEventListener("click", stop);
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-camera]");
    if (!button) return;
    const form = button.closest("form");
    try {
      const detector = new BarcodeDetector();
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.srcObject = stream;
      await video.play();
      view.classList.add("on");
      while (stream) {
        const codes = await detector.detect(video);
        if (codes.length) {
          form.querySelector("[name=code]").value = codes[0].rawValue;
          stop();
          form.requestSubmit();
          return;
        }
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    } catch (error) { stop(); }
  });
})();
