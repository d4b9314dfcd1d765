// @ts-check
/** Applies the colour theme (SET-7): light, dark, or whatever the system prefers. */

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
/** @type {'light' | 'dark' | 'system'} */
let chosen = 'system';

function paint() {
  const dark = chosen === 'dark' || (chosen === 'system' && darkQuery.matches);
  const root = document.documentElement;
  root.dataset.theme = dark ? 'dark' : 'light';
  root.style.colorScheme = dark ? 'dark' : 'light';
  const color = getComputedStyle(root).getPropertyValue('--surface').trim();
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', color || (dark ? '#111418' : '#ffffff'));
}

darkQuery.addEventListener('change', () => {
  if (chosen === 'system') paint();
});

/** @param {string | undefined} theme */
export function applyTheme(theme) {
  chosen = theme === 'light' || theme === 'dark' ? theme : 'system';
  paint();
}
