import { useState } from 'react';
import { Dialog } from '../../../lib/ui.tsx';

/**
 * The mockup as the owner judges it: the rendered layout in a sandboxed frame (no scripts, no
 * same-origin access), larger on request, and the text wireframe below it.
 */
export function MockupPreview({
  html,
  wireframe,
  pages,
}: {
  html: string | null;
  wireframe: string | null;
  pages: string[];
}) {
  const [large, setLarge] = useState(false);
  return (
    <div className="mockup">
      {pages.length > 0 ? (
        <p className="mockup-pages">
          <span className="muted">Pages:</span> {pages.join(' · ')}
        </p>
      ) : null}
      {html ? (
        <>
          <iframe className="mockup-frame" title="Mockup preview" sandbox="" srcDoc={html} />
          <button type="button" className="link-button mockup-enlarge" onClick={() => setLarge(true)}>
            View the mockup larger
          </button>
          <Dialog open={large} title="Mockup preview" onClose={() => setLarge(false)} wide>
            <iframe
              className="mockup-frame mockup-frame-large"
              title="Mockup preview, large"
              sandbox=""
              srcDoc={html}
            />
          </Dialog>
        </>
      ) : (
        <p className="muted">The preview is not available; the wireframe below shows the layout.</p>
      )}
      {wireframe ? (
        <details className="mockup-wireframe" open={!html}>
          <summary>Wireframe (the layout as text)</summary>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a block that scrolls must be reachable by keyboard. */}
          <pre tabIndex={0}>{wireframe}</pre>
        </details>
      ) : null}
    </div>
  );
}
