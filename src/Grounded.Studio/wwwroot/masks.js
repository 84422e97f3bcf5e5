// Masks as the API gives them: COCO RLE (column-major, compressed counts string, as pycocotools) for full
// resolution, and row-major bitmaps for the low-resolution hover previews.

/** Decodes a COCO compressed counts string into run lengths. */
export function countsFromString(s) {
  const counts = [];
  let p = 0;
  while (p < s.length) {
    let x = 0, k = 0, more = 1;
    while (more) {
      const c = s.charCodeAt(p) - 48;
      x |= (c & 0x1f) << (5 * k);
      more = c & 0x20;
      p++; k++;
      if (!more && (c & 0x10)) x |= -1 << (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    counts.push(x);
  }
  return counts;
}

/** A COCO RLE {size: [h, w], counts} as a row-major Uint8Array of 0/1. */
export function decodeRle(rle) {
  const [h, w] = rle.size;
  const counts = typeof rle.counts === 'string' ? countsFromString(rle.counts) : rle.counts;
  const out = new Uint8Array(w * h);
  let i = 0, value = 0;
  for (const run of counts) {
    if (value) {
      for (let j = i; j < i + run; j++) {
        const x = Math.floor(j / h), y = j - x * h;
        out[y * w + x] = 1;
      }
    }
    i += run;
    value ^= 1;
  }
  return out;
}

/** A base64 row-major bitmap (eight pixels a byte, high bit first) as a Uint8Array of 0/1. */
export function decodeBits(base64, size) {
  const bytes = atob(base64);
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (bytes.charCodeAt(i >> 3) >> (7 - (i & 7))) & 1;
  return out;
}

/** Paints a 0/1 mask in a colour onto transparent RGBA pixels (a later mask wins where they overlap). */
export function paint(rgba, mask, [r, g, b], alpha) {
  const a = Math.round(alpha * 255);
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const o = i * 4;
    rgba[o] = r; rgba[o + 1] = g; rgba[o + 2] = b; rgba[o + 3] = a;
  }
}

/** A distinct colour for object k (golden-angle hues). */
export function colour(k) {
  const h = (k * 137.508) % 360, s = 0.75, l = 0.55;
  const f = n => {
    const kk = (n + h / 30) % 12;
    return Math.round(255 * (l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(kk - 3, 9 - kk, 1))));
  };
  return [f(0), f(8), f(4)];
}
