// An SVG of latency by percentile, one curve per strategy, drawn the way HdrHistogram's plotter does: the
// x axis is log10(1 / (1 - percentile)), so 90%, 99%, 99.9%... are evenly spaced and the tail gets room.
// Hand-written SVG: no plotting dependency for one chart.

/** One curve: [percentile (0-100), latency ms] points, in increasing percentile. */
export interface PlotSeries {
  name: string;
  points: Array<[number, number]>;
}

/** Percentiles to sample a histogram at: dense in log space up to where the histogram has data. */
export function plotPercentiles(totalCount: number): number[] {
  // Up to 1 / totalCount the curve walks through the recorded values; a little beyond it the percentile is
  // the max, so the curve ends on the max as HdrHistogram's plots do.
  const maxX = Math.max(1, Math.min(6, Math.log10(Math.max(totalCount, 10)) + 0.3));
  const out: number[] = [];
  for (let x = 0; x < maxX; x += 0.025) out.push(100 * (1 - 10 ** -x));
  out.push(100 * (1 - 10 ** -maxX));
  return out;
}

const WIDTH = 900;
const HEIGHT = 540;
const LEFT = 70;
const RIGHT = 190;
const TOP = 50;
const BOTTOM = 60;
// Okabe-Ito: told apart by colour-blind readers too (black and grey are kept for ring and null).
const COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#F0E442"];

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** 1, 2, 5 x 10^n steps giving about `count` ticks up to `max`. */
function niceStep(max: number, count: number): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

const xOf = (percentile: number): number => Math.log10(1 / Math.max(1e-9, 1 - percentile / 100));

/** The whole SVG document. */
export function renderPercentilePlot(series: PlotSeries[], title: string, subtitle: string): string {
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const maxX = Math.max(2, Math.ceil(Math.max(...series.flatMap((s) => s.points.map(([p]) => xOf(p))), 0)));
  const maxY0 = Math.max(...series.flatMap((s) => s.points.map(([, v]) => v)), 0.001);
  const step = niceStep(maxY0, 6);
  const maxY = Math.ceil(maxY0 / step) * step;
  const px = (x: number) => LEFT + (x / maxX) * plotW;
  const py = (y: number) => TOP + plotH - (y / maxY) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${LEFT}" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`);
  out.push(`<text x="${LEFT}" y="39" fill="#555">${escape(subtitle)}</text>`);
  // Grid and axes.
  for (let x = 0; x <= maxX; x++) {
    const label = x === 0 ? "0%" : `${(100 * (1 - 10 ** -x)).toFixed(Math.max(0, x - 2))}%`;
    out.push(`<line x1="${px(x)}" y1="${TOP}" x2="${px(x)}" y2="${TOP + plotH}" stroke="#ddd"/>`);
    out.push(`<text x="${px(x)}" y="${TOP + plotH + 18}" text-anchor="middle">${label}</text>`);
  }
  for (let y = 0; y <= maxY + step / 2; y += step) {
    out.push(`<line x1="${LEFT}" y1="${py(y)}" x2="${LEFT + plotW}" y2="${py(y)}" stroke="#ddd"/>`);
    out.push(`<text x="${LEFT - 8}" y="${py(y) + 4}" text-anchor="end">${Number(y.toPrecision(6))}</text>`);
  }
  out.push(`<rect x="${LEFT}" y="${TOP}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${LEFT + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">percentile</text>`);
  out.push(`<text transform="translate(18 ${TOP + plotH / 2}) rotate(-90)" text-anchor="middle">burst latency (ms)</text>`);
  // Curves and legend. The baseline ("null") is grey and dashed, ringlog's "ring" black and thicker; the
  // others take the palette's colours in turn.
  let next = 0;
  series.forEach((s, i) => {
    const colour = s.name === "null" ? "#999999" : s.name === "ring" ? "#000000" : COLOURS[next++ % COLOURS.length];
    const style = `stroke="${colour}" stroke-width="${s.name === "ring" ? 3 : 2}"${s.name === "null" ? ` stroke-dasharray="6 3"` : ""}`;
    const d = s.points.map(([p, v], k) => `${k === 0 ? "M" : "L"}${px(xOf(p)).toFixed(1)},${py(v).toFixed(1)}`).join(" ");
    out.push(`<path d="${d}" fill="none" ${style}/>`);
    const ly = TOP + 10 + i * 20;
    out.push(`<line x1="${LEFT + plotW + 15}" y1="${ly}" x2="${LEFT + plotW + 40}" y2="${ly}" ${style}/>`);
    out.push(`<text x="${LEFT + plotW + 46}" y="${ly + 4}">${escape(s.name)}</text>`);
  });
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
