/** A tiny history router: the server answers every non-API page path with index.html. */
import type { AnchorHTMLAttributes, ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';

interface Route { path: string; query: URLSearchParams; navigate: (to: string, replace?: boolean) => void }
const Ctx = createContext<Route>(null as unknown as Route);

export function Router({ children }: { children: ComponentChildren }) {
  const read = () => ({ path: location.pathname.replace(/\/+$/, '') || '/', query: new URLSearchParams(location.search) });
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const on = () => setLoc(read());
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  const navigate = (to: string, replace = false) => {
    if (to === location.pathname + location.search) return;
    history[replace ? 'replaceState' : 'pushState'](null, '', to);
    setLoc(read());
    // A new page: move focus to its heading so screen readers announce it (done by <PageTitle>).
  };
  return <Ctx.Provider value={{ ...loc, navigate }}>{children}</Ctx.Provider>;
}

export const useRoute = () => useContext(Ctx);

/** A link that changes page without reloading (modified clicks keep the browser's behaviour). */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const { navigate, path } = useRoute();
  const current = path === props.href || (props.href !== '/' && path.startsWith(`${props.href}/`));
  return (
    <a
      {...props}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(props.href);
      }}
    />
  );
}
