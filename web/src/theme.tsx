import { useEffect, useState } from 'react';

/** Light, dark or the system's choice; remembered per browser. Applied as `data-theme` on <html>. */
type Theme = 'system' | 'light' | 'dark';
const KEY = 'switchboard.theme';
const ORDER: Theme[] = ['system', 'light', 'dark'];

function stored(): Theme {
  const t = localStorage.getItem(KEY);
  return t === 'light' || t === 'dark' ? t : 'system';
}

export function applyTheme(t: Theme = stored()): void {
  const dark = t === 'dark' || (t === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset['theme'] = dark ? 'dark' : 'light';
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(stored());
  useEffect(() => {
    if (theme === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, theme);
    applyTheme(theme);
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => applyTheme(theme);
    mq.addEventListener('change', follow);
    return () => mq.removeEventListener('change', follow);
  }, [theme]);
  const next = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length]!;
  return (
    <button type="button" className="btn btn-ghost" onClick={() => setTheme(next)} aria-label={`Theme: ${theme}. Switch to ${next}`} title={`Theme: ${theme}`}>
      {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'} <span className="hide-narrow">{theme}</span>
    </button>
  );
}
