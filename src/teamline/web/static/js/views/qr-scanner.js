// @ts-check
/**
 * Reads QR codes from the camera. Uses the browser's BarcodeDetector where it exists and
 * otherwise loads the vendored jsQR library, only now, when a scan really starts.
 */

const JSQR_URL = '/static/vendor/jsQR.js';
/** @type {Promise<void> | null} */
let jsqrLoading = null;

/** @returns {Promise<void>} */
function loadJsQR() {
  jsqrLoading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = JSQR_URL;
    script.onload = () => resolve();
    script.onerror = () => {
      jsqrLoading = null;
      reject(new Error('jsQR could not be loaded'));
    };
    document.head.append(script);
  });
  return jsqrLoading;
}

/**
 * A function that looks for a QR code in the current video frame.
 * @returns {Promise<(video: HTMLVideoElement) => Promise<string | null>>}
 */
async function makeDetector() {
  const Detector = /** @type {any} */ (window).BarcodeDetector;
  if (Detector && (await Detector.getSupportedFormats?.())?.includes('qr_code')) {
    const detector = new Detector({ formats: ['qr_code'] });
    return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
  }
  await loadJsQR();
  const canvas = document.createElement('canvas');
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d', { willReadFrequently: true }));
  return async (video) => {
    const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight, 1));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    if (!canvas.width || !canvas.height) return null;
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const frame = context.getImageData(0, 0, canvas.width, canvas.height);
    return /** @type {any} */ (window).jsQR(frame.data, frame.width, frame.height)?.data ?? null;
  };
}

/**
 * Starts the rear camera in `video` and calls `onText` with the first QR code it sees.
 * @param {HTMLVideoElement} video
 * @param {(text: string) => void} onText
 * @returns {Promise<() => void>} stops the camera
 */
export async function startQrScanner(video, onText) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  let running = true;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const stop = () => {
    running = false;
    clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  try {
    video.srcObject = stream;
    video.setAttribute('playsinline', '');
    video.muted = true;
    await video.play();
    const detect = await makeDetector();
    const scan = async () => {
      if (!running) return;
      const text = await detect(video).catch(() => null);
      if (!running) return;
      if (text) {
        stop();
        onText(text);
      } else {
        timer = setTimeout(scan, 200);
      }
    };
    scan();
  } catch (error) {
    stop();
    throw error;
  }
  return stop;
}
