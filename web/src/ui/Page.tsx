/** A page's heading: sets the document title and takes focus on navigation so screen readers announce the page. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function PageHead({ title, children, intro }: { title: string; children?: ComponentChildren; intro?: ComponentChildren }) {
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Tessera`;
    // Only after an in-app navigation, not on the first load (focus then stays at the top of the document).
    if (document.body.dataset.navigated) h.current?.focus();
    document.body.dataset.navigated = '1';
  }, [title]);
  return (
    <div class="page-head">
      <div>
        <h1 ref={h} id="page-title" tabIndex={-1}>{title}</h1>
        {intro && <p class="page-intro">{intro}</p>}
      </div>
      {children && <div class="page-actions">{children}</div>}
    </div>
  );
}

/** What a page shows when its API route is missing on this server (a feature not built or not enabled). */
export function Unavailable({ what }: { what: string }) {
  return (
    <div class="empty" role="status">
      <p class="empty-title">{what} are not available on this server.</p>
      <p>The server answered <code>ROUTE_NOT_FOUND</code> for this API. An upgrade of Tessera may add it.</p>
    </div>
  );
}
