/**
 * Picks permissions: a search box over the catalogue (GET /api/v1/permissions), which also takes any well-formed
 * name or wildcard (`deploy:*`) typed in, and the chosen ones as removable chips. And RolePicker: the defined roles as
 * checkboxes. The server checks everything again (docs/permissions.md); this only helps.
 */
import { useId, useMemo, useState } from 'preact/hooks';
import type { ApiError } from '../../../sdk/index.js';
import { api, unwrap } from '../api.js';
import { useLoad } from '../load.js';
import { ErrorText } from './ErrorText.js';

const GRANT = /^(?:\*|[A-Za-z0-9_-]+(?:[.:][A-Za-z0-9_-]+)*(?:[.:]\*)?)$/;

export function PermissionPicker(props: { value: string[]; onChange: (v: string[]) => void; error?: ApiError | null; label?: string }) {
  const id = useId();
  const [text, setText] = useState('');
  const [bad, setBad] = useState(false);
  const catalogue = useLoad(() => unwrap(api.GET('/api/v1/permissions')), []);
  const matches = useMemo(() => {
    const q = text.trim().toLowerCase();
    const all = catalogue.data?.items ?? [];
    return (q ? all.filter((p) => p.name.toLowerCase().includes(q) || p.description.toLowerCase().includes(q)) : all)
      .filter((p) => !props.value.includes(p.name)).slice(0, 8);
  }, [text, catalogue.data, props.value]);
  const add = (name: string) => {
    const n = name.trim();
    if (!n) return;
    if (!GRANT.test(n) || n.length > 128) { setBad(true); return; }
    setBad(false);
    if (!props.value.includes(n)) props.onChange([...props.value, n].sort());
    setText('');
  };
  return (
    <div class={`field${props.error || bad ? ' invalid' : ''}`}>
      <label for={id}>{props.label ?? 'Permissions'}<span class="optional"> (optional)</span></label>
      {props.value.length > 0 && (
        <ul class="chips" aria-label="Chosen permissions">
          {props.value.map((p) => (
            <li key={p} class="chip"><code>{p}</code>
              <button type="button" class="chip-remove" aria-label={`Remove ${p}`} onClick={() => props.onChange(props.value.filter((x) => x !== p))}>×</button></li>
          ))}
        </ul>
      )}
      <div class="picker-row">
        <input id={id} value={text} list={`${id}-list`} placeholder="deploy:write, billing.*" autocomplete="off" aria-describedby={`${id}-hint`}
          aria-invalid={!!props.error || bad}
          onInput={(e) => { setText(e.currentTarget.value); setBad(false); }}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(text); } }} />
        <button type="button" class="button" onClick={() => add(text)}>Add</button>
      </div>
      <datalist id={`${id}-list`}>{matches.map((p) => <option key={p.name} value={p.name}>{p.description}</option>)}</datalist>
      <p class="hint" id={`${id}-hint`}>
        {bad ? 'Segments of letters, digits, _ or - separated by “:” or “.”, optionally ending in “:*”.'
          : 'Search the catalogue or type a name; a wildcard (deploy:*) covers every name below it. A personal token gets only what its owner holds.'}
      </p>
      <ErrorText error={props.error ?? null} />
    </div>
  );
}

export function RolePicker(props: { value: string[]; onChange: (v: string[]) => void; error?: ApiError | null }) {
  const roles = useLoad(() => unwrap(api.GET('/api/v1/roles')), []);
  const defined = (roles.data?.items ?? []).filter((r) => !r.builtin);
  if (defined.length === 0) return null;
  const toggle = (name: string, on: boolean) => props.onChange(on ? [...props.value, name].sort() : props.value.filter((r) => r !== name));
  return (
    <fieldset class={`field choice${props.error ? ' invalid' : ''}`}>
      <legend>Roles <span class="optional">(optional)</span></legend>
      {defined.map((r) => (
        <label class="check" key={r.name}>
          <input type="checkbox" checked={props.value.includes(r.name)} onChange={(e) => toggle(r.name, e.currentTarget.checked)} />
          <span><strong>{r.name}</strong> <span class="muted">— {r.permissions.join(' ') || 'no permissions'}</span></span>
        </label>
      ))}
      <ErrorText error={props.error ?? null} />
    </fieldset>
  );
}
