/** A read-only value with a Copy button (Clipboard API, or select + execCommand where it is unavailable over plain http). */
import { useId, useRef, useState } from 'preact/hooks';

export function CopyField({ label, value, multiline }: { label: string; value: string; multiline?: boolean }) {
  const id = useId();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<'' | 'ok' | 'failed'>('');
  const copy = async () => {
    try {
      if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(value);
      else {
        ref.current!.select();
        if (!document.execCommand('copy')) throw new Error('copy refused');
      }
      setCopied('ok');
    } catch {
      ref.current?.select();
      setCopied('failed');
    }
  };
  return (
    <div class="copy-field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        {multiline
          ? <textarea id={id} ref={ref} readOnly rows={4} value={value} class="mono" onFocus={(e) => e.currentTarget.select()} />
          : <input id={id} ref={ref} readOnly value={value} class="mono" spellcheck={false} onFocus={(e) => e.currentTarget.select()} />}
        <button type="button" class="button" onClick={copy}>{copied === 'ok' ? 'Copied' : 'Copy'}</button>
      </div>
      <p class="hint" aria-live="polite">
        {copied === 'ok' ? `${label} copied to the clipboard.` : copied === 'failed' ? 'Copying failed: the text is selected, press Ctrl+C.' : ''}
      </p>
    </div>
  );
}
