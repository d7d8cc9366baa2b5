/**
 * A menu button (WAI-ARIA menu pattern): Enter/Space/ArrowDown open it on the first item, arrows move, Home/End jump,
 * Escape closes and returns focus to the button, Tab or a click elsewhere closes it.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface MenuItem { label: string; onSelect: () => void; danger?: boolean; href?: string; hidden?: boolean }

export function Menu(props: { label: string; button: ComponentChildren; items: MenuItem[]; class?: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const btn = useRef<HTMLButtonElement>(null);
  const items = props.items.filter((i) => !i.hidden);
  const focusItem = (n: number) => {
    const all = wrap.current?.querySelectorAll<HTMLElement>('[role="menuitem"]');
    if (!all || all.length === 0) return;
    all[(n + all.length) % all.length]!.focus();
  };
  // Focus the first item as the menu is drawn, before the browser handles the next key: with a deferred effect a fast
  // "ArrowDown, End" lands End on the button and it is lost.
  useLayoutEffect(() => { if (open) focusItem(0); }, [open]);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => { if (!wrap.current?.contains(e.target as Node)) setOpen(false); };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  const close = (refocus: boolean) => { setOpen(false); if (refocus) btn.current?.focus(); };
  const onKey = (e: KeyboardEvent) => {
    if (!open) return;
    const all = [...(wrap.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = all.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') { e.preventDefault(); focusItem(at + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); focusItem(at - 1); }
    else if (e.key === 'Home') { e.preventDefault(); focusItem(0); }
    else if (e.key === 'End') { e.preventDefault(); focusItem(all.length - 1); }
    else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(true); }
    else if (e.key === 'Tab') setOpen(false);
  };
  return (
    // Keys are handled on the wrapper, so they work while the button still has the focus of an open menu too.
    <div class={`menu ${props.class ?? ''}`} ref={wrap} onKeyDown={onKey}>
      <button
        type="button" ref={btn} class="button menu-button" aria-haspopup="menu" aria-expanded={open} aria-controls={id}
        aria-label={props.label}
        onClick={() => setOpen(!open)}
        // Not passed on to the wrapper: by then the menu is drawn, and the same ArrowDown would move to the second item.
        onKeyDown={(e) => { if (e.key === 'ArrowDown' && !open) { e.preventDefault(); e.stopPropagation(); setOpen(true); } }}
      >
        {props.button}
      </button>
      {open && (
        <div class="menu-list" role="menu" id={id} aria-label={props.label}>
          {items.map((i) => i.href
            ? <a role="menuitem" tabIndex={-1} class="menu-item" href={i.href} onClick={() => { setOpen(false); i.onSelect(); }}>{i.label}</a>
            : <button type="button" role="menuitem" tabIndex={-1} class={`menu-item${i.danger ? ' danger' : ''}`}
                onClick={() => { close(false); i.onSelect(); }}>{i.label}</button>)}
        </div>
      )}
    </div>
  );
}
