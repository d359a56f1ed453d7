// A build-time fix of Cornerstone's 12-bit JPEG (extended, process 2/4) decoder: the bundled
// pdf.js-derived codec (dicom-image-loader/dist/esm/codecs/jpeg.js) scales the 8-bit level shift
// by 4095/255 instead of 16, so every 12-bit sample comes out ~15 too bright (15 HU on CT). The
// replacement shifts by 2^(P−1) and clamps to the sample range; for 8 bits it is the original.
// Measured against DCMTK's decoder: before, +15 on every sample; after, within ±1.
import type { Plugin } from 'vite';

const CODEC = /@cornerstonejs[\\/]dicom-image-loader[\\/]dist[\\/]esm[\\/]codecs[\\/]jpeg\.js$/;
const CLAMP = /q =\s*q <= -2056 \/ component\.bitConversion\s*\?\s*0\s*:\s*q >= 2024 \/ component\.bitConversion\s*\?\s*255 \/ component\.bitConversion\s*:\s*\(q \+ 2056 \/ component\.bitConversion\) >> 4;/;
const FIXED =
  'var maxSample = Math.round(255 / component.bitConversion); q = Math.min(maxSample, Math.max(0, (q + ((maxSample + 1) << 3) + 8) >> 4));';

export function jpeg12BitLevelShift(): Plugin {
  return {
    name: 'noctis-jpeg12-level-shift',
    enforce: 'pre',
    transform(code, id) {
      if (!CODEC.test(id)) return null;
      // A newer Cornerstone with other code: fail the build rather than ship an unchecked decoder.
      if (!CLAMP.test(code)) this.error('jpeg.js changed: check whether its 12-bit level shift is fixed upstream, then update or drop this plugin.');
      return { code: code.replace(CLAMP, FIXED), map: null };
    },
  };
}
