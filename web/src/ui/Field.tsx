/** A labelled form field with its hint and its error (announced, and tied to the input with aria-describedby). */
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import type { ApiError } from '../../../sdk/index.js';
import { ErrorText } from './ErrorText.js';

export interface FieldIds { id: string; describedBy: string | undefined; invalid: boolean }

export function Field(props: {
  label: string; hint?: ComponentChildren; error?: ApiError | null; optional?: boolean;
  children: (ids: FieldIds) => ComponentChildren;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  const describedBy = [props.hint ? hintId : '', props.error ? errId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${props.error ? ' invalid' : ''}`}>
      <label for={id}>{props.label}{props.optional && <span class="optional"> (optional)</span>}</label>
      {props.children({ id, describedBy, invalid: !!props.error })}
      {props.hint && <p class="hint" id={hintId}>{props.hint}</p>}
      <ErrorText error={props.error ?? null} id={errId} />
    </div>
  );
}
