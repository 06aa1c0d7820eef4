import { useLayoutEffect, useRef, useState } from 'react';
import { useLiveChange } from '../../observability/use-live-change.ts';
import { sitePaths } from '../queries.ts';
import { type PreviewDevice, previewDevices, usePreviewUi } from '../store.ts';

/** The stage's inner size in CSS pixels, kept current as the panel resizes. */
function useBoxSize<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, size] as const;
}

/**
 * The built site in a sandboxed frame at a chosen device width, scaled down when the panel is
 * narrower. The frame always opens `/preview/:id/`: the server redirects it to a short-lived token
 * link, which is never kept here. The page inside runs in an opaque origin, so its current path
 * cannot be read; a reload therefore starts again at the home page.
 */
export function PreviewFrame({
  projectId,
  changedAt,
  live,
}: {
  projectId: string;
  changedAt: number;
  live: boolean;
}) {
  const { device, setDevice } = usePreviewUi();
  const [reloads, setReloads] = useState(0);
  const reload = () => setReloads((n) => n + 1);
  useLiveChange(changedAt, live, reload);
  const [stageRef, stage] = useBoxSize<HTMLDivElement>();
  const [loadedFrame, setLoadedFrame] = useState(-1);
  const width = previewDevices[device].width;
  const scale = stage.width > 0 ? Math.min(1, stage.width / width) : 1;
  const src = sitePaths.preview(projectId);

  return (
    <>
      <div className="preview-toolbar">
        <fieldset className="preview-devices">
          <legend className="visually-hidden">Preview width</legend>
          {(Object.keys(previewDevices) as PreviewDevice[]).map((id) => (
            <button
              key={id}
              type="button"
              className="preview-device"
              aria-pressed={device === id}
              onClick={() => setDevice(id)}
            >
              {previewDevices[id].label}
              <span className="preview-device-width">{previewDevices[id].width}px</span>
            </button>
          ))}
        </fieldset>
        <div className="preview-links">
          <button type="button" className="button button-secondary button-small" onClick={reload}>
            Reload
          </button>
          <a className="button button-secondary button-small" href={src} target="_blank" rel="noopener">
            Open in a new tab<span className="visually-hidden"> (opens a new tab)</span>
          </a>
        </div>
      </div>
      <div className="preview-stage" ref={stageRef}>
        <div className="preview-device-box" style={{ width: `${width * scale}px` }}>
          <iframe
            key={reloads}
            className="preview-frame"
            title="Preview of the site"
            src={src}
            sandbox="allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox"
            referrerPolicy="no-referrer"
            data-device={device}
            onLoad={() => setLoadedFrame(reloads)}
            style={{
              width: `${width}px`,
              height: `${stage.height / scale}px`,
              transform: scale < 1 ? `scale(${scale})` : undefined,
            }}
          />
        </div>
        {loadedFrame !== reloads ? (
          <p className="preview-loading" role="status">
            Loading the preview…
          </p>
        ) : null}
      </div>
      <p className="preview-scale small muted" aria-live="polite">
        {previewDevices[device].label} width, {width}px
        {scale < 1 ? `, shown at ${Math.round(scale * 100)}%` : ''}.
      </p>
    </>
  );
}
