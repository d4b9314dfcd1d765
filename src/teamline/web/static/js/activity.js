// @ts-check
/**
 * Watches whether the person is active and the app is in front (CONT-3 auto-away, CHAT-4
 * push suppression). Idle = no pointer, key or touch input for the configured seconds
 * (0 = never idle); foreground = the page is visible and focused.
 */

const INPUTS = ['pointerdown', 'pointermove', 'keydown', 'touchstart', 'wheel'];

/**
 * @param {{idleSeconds: () => number, onChange: (state: {idle: boolean, foreground: boolean}) => void}} options
 * @returns {{rearm: () => void, stop: () => void, state: () => {idle: boolean, foreground: boolean}}}
 */
export function trackActivity({ idleSeconds, onChange }) {
  const inFront = () => document.visibilityState === 'visible' && document.hasFocus();
  let idle = false;
  let foreground = inFront();
  let lastArmed = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;

  const report = () => onChange({ idle, foreground });

  const arm = () => {
    clearTimeout(timer);
    lastArmed = Date.now();
    const seconds = idleSeconds();
    if (seconds > 0) {
      timer = setTimeout(() => {
        idle = true;
        report();
      }, seconds * 1000);
    } else if (idle) {
      idle = false;
      report();
    }
  };

  const onInput = () => {
    if (idle) {
      idle = false;
      report();
      arm();
    } else if (Date.now() - lastArmed > 1000) {
      arm(); // pointermove fires often: restarting the timer once a second is plenty
    }
  };

  const onVisibility = () => {
    const now = inFront();
    if (now !== foreground) {
      foreground = now;
      report();
    }
  };

  for (const type of INPUTS) window.addEventListener(type, onInput, { passive: true, capture: true });
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('focus', onVisibility);
  window.addEventListener('blur', onVisibility);
  arm();

  return {
    rearm: arm,
    state: () => ({ idle, foreground }),
    stop() {
      clearTimeout(timer);
      for (const type of INPUTS) window.removeEventListener(type, onInput, { capture: true });
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('focus', onVisibility);
      window.removeEventListener('blur', onVisibility);
    },
  };
}
