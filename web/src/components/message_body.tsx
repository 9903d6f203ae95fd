// A message's body as the server rendered it. body_html comes from the server's CommonMark
// renderer in safe mode (raw HTML dropped, dangerous link schemes removed): it is the one
// piece of content the UI inserts as HTML. Links open in a new tab without an opener.
import { useLayoutEffect, useRef } from 'preact/hooks';

export function MessageBody({ html }: { html: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.innerHTML = html;
    for (const link of element.querySelectorAll('a')) {
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
    }
  }, [html]);
  return <div class="message-body" ref={ref} />;
}
