// @ts-check
/** A readable default name for this device, sent with sign-in and pairing. */

/**
 * "Chrome on Android", "Safari on iPhone", "Firefox on Windows" …
 * @param {string} userAgent
 * @returns {string}
 */
export function deviceNameFromUserAgent(userAgent) {
  const ua = userAgent || '';
  const browser =
    /Edg\//.test(ua) ? 'Edge'
    : /Firefox\//.test(ua) ? 'Firefox'
    : /(Chrome|Chromium|CriOS)\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari'
    : 'Browser';
  const system =
    /iPhone/.test(ua) ? 'iPhone'
    : /iPad/.test(ua) ? 'iPad'
    : /Android/.test(ua) ? 'Android'
    : /Windows/.test(ua) ? 'Windows'
    : /Mac OS X|Macintosh/.test(ua) ? 'macOS'
    : /Linux/.test(ua) ? 'Linux'
    : '';
  return system ? `${browser} on ${system}` : browser;
}
