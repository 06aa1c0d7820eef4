import { create } from 'zustand';

export type PreviewDevice = 'desktop' | 'tablet' | 'phone';

/** The widths a site is shown at, in CSS pixels of the framed page; scaled down to fit the panel. */
export const previewDevices: Record<PreviewDevice, { label: string; width: number }> = {
  desktop: { label: 'Desktop', width: 1280 },
  tablet: { label: 'Tablet', width: 768 },
  phone: { label: 'Phone', width: 390 },
};

/** UI-only state of the site panel: which width the preview shows. */
export const usePreviewUi = create<{ device: PreviewDevice; setDevice: (device: PreviewDevice) => void }>(
  (set) => ({
    device: 'desktop',
    setDevice: (device) => set({ device }),
  }),
);
