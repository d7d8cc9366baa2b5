/**
 * A modal dialog on the native <dialog> element: the browser traps focus, makes the page inert, closes on Escape and
 * announces it as a dialog. It is mounted open; unmounting closes it and gives focus back to what opened it.
 * Clicks on the backdrop do not close it (a token value shown once must not vanish by accident).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

export function Dialog(props: { title: string; onClose: () => void; children: ComponentChildren; describedBy?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    d.showModal();
    return () => {
      if (d.open) d.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      aria-describedby={props.describedBy}
      onCancel={(e) => { e.preventDefault(); props.onClose(); }}
    >
      <div class="dialog-head">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={props.onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div class="dialog-body">{props.children}</div>
    </dialog>
  );
}
