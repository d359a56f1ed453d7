// Export of a viewport as PNG: the image as drawn, with the measurements' layer on top (an SVG
// that Cornerstone draws over the canvas), saved through a download.

/** The viewport's picture as a PNG blob: its canvas, then its annotation SVG drawn over it. */
export async function viewportPng(element: HTMLElement): Promise<Blob> {
  const source = element.querySelector('canvas');
  if (!source) throw new Error('The viewport has no picture to export.');
  const canvas = document.createElement('canvas');
  canvas.width = source.width;
  canvas.height = source.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('Cannot draw the exported picture.');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(source, 0, 0);
  const svg = element.querySelector('svg');
  if (svg && svg.childElementCount > 0) {
    const copy = svg.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    // Drawn in CSS pixels; the canvas has device pixels.
    const box = svg.getBoundingClientRect();
    if (!copy.hasAttribute('viewBox')) copy.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`);
    copy.setAttribute('width', String(canvas.width));
    copy.setAttribute('height', String(canvas.height));
    const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(copy))}`;
    const layer = new Image();
    layer.src = url;
    await layer.decode();
    ctx.drawImage(layer, 0, 0, canvas.width, canvas.height);
  }
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed.'))), 'image/png'));
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
