'use strict';
// A small grouped bar chart drawn as inline SVG, for the dashboard's "day by hour" figures.
// No library: a few dozen bars need no more. The SVG is an image with a title and a description
// (role="img"); the same figures are in a table next to it for screen readers and for copying.
window.LoketChart = (() => {
  const ns = 'http://www.w3.org/2000/svg';

  function svgEl(tag, attrs = {}, text) {
    const node = document.createElementNS(ns, tag);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, String(v)));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A "nice" axis top and step for values up to `max`: 1, 2 or 5 times a power of ten.
  function niceScale(max, ticks = 4) {
    if (!(max > 0)) return { top: 1, step: 1 };
    const rough = max / ticks;
    const power = 10 ** Math.floor(Math.log10(rough));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
    return { top: Math.ceil(max / step) * step, step };
  }

  // The hatch used for the second series, so series differ by more than colour.
  function hatchPattern(id, colour) {
    const pattern = svgEl('pattern', { id, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
    pattern.append(svgEl('rect', { width: 6, height: 6, fill: '#ffffff' }), svgEl('rect', { width: 3, height: 6, fill: colour }));
    return pattern;
  }

  // groups: [{label, values: [number|null per series]}]; series: [{label, style: 'solid'|'hatch'}];
  // refLine: {value, label} drawn dashed across the chart (the norm); unit: the y axis's unit,
// written above it. Returns the <svg>.
  function barChart({ id, title, description, groups, series, refLine, unit = '' }) {
    const width = 520;
    const height = 260;
    const pad = { left: 44, right: 8, top: 24, bottom: 30 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const values = groups.flatMap((g) => g.values).filter((v) => v !== null && v !== undefined);
    const scale = niceScale(Math.max(refLine ? refLine.value * 1.2 : 0, ...values, 0));
    const y = (v) => pad.top + plotH - (v / scale.top) * plotH;

    const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, id });
    svg.append(svgEl('title', { id: `${id}-title` }, title), svgEl('desc', { id: `${id}-desc` }, description));
    const defs = svgEl('defs');
    defs.append(hatchPattern(`${id}-hatch`, '#154273'));
    svg.append(defs);

    for (let v = 0; v <= scale.top + 1e-9; v += scale.step) {
      svg.append(svgEl('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), stroke: '#c9ced6', 'stroke-width': 1 }));
      svg.append(svgEl('text', { x: pad.left - 6, y: y(v) + 5, 'text-anchor': 'end' }, String(Math.round(v * 10) / 10)));
    }
    svg.append(svgEl('line', { x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0), stroke: '#4a5360', 'stroke-width': 1.5 }));
    if (unit) svg.append(svgEl('text', { x: 4, y: 14 }, unit));

    const slot = plotW / Math.max(groups.length, 1);
    const barW = Math.min(28, (slot * 0.8) / series.length);
    groups.forEach((group, gi) => {
      const x0 = pad.left + gi * slot + (slot - barW * series.length) / 2;
      group.values.forEach((value, si) => {
        if (value === null || value === undefined) return;
        const top = y(value);
        const fill = series[si].style === 'hatch' ? `url(#${id}-hatch)` : '#154273';
        svg.append(svgEl('rect', { x: x0 + si * barW, y: top, width: Math.max(barW - 2, 1), height: Math.max(y(0) - top, 0), fill, stroke: '#154273', 'stroke-width': 1 }));
      });
      svg.append(svgEl('text', { x: pad.left + gi * slot + slot / 2, y: height - pad.bottom + 20, 'text-anchor': 'middle' }, group.label));
    });

    if (refLine) {
      svg.append(svgEl('line', { x1: pad.left, x2: width - pad.right, y1: y(refLine.value), y2: y(refLine.value), stroke: '#8a0012', 'stroke-width': 2, 'stroke-dasharray': '6 4' }));
      svg.append(svgEl('text', { x: width - pad.right, y: y(refLine.value) - 4, 'text-anchor': 'end', fill: '#8a0012' }, refLine.label));
    }
    return svg;
  }

  // A legend swatch matching the bars (solid, hatched or the dashed norm line).
  function swatch(kind, id) {
    const svg = svgEl('svg', { width: 18, height: 14, 'aria-hidden': 'true', focusable: 'false' });
    if (kind === 'line') {
      svg.append(svgEl('line', { x1: 0, x2: 18, y1: 7, y2: 7, stroke: '#8a0012', 'stroke-width': 2, 'stroke-dasharray': '5 3' }));
      return svg;
    }
    if (kind === 'hatch') {
      const defs = svgEl('defs');
      defs.append(hatchPattern(`${id}-swatch`, '#154273'));
      svg.append(defs);
    }
    svg.append(svgEl('rect', { x: 1, y: 1, width: 16, height: 12, fill: kind === 'hatch' ? `url(#${id}-swatch)` : '#154273', stroke: '#154273' }));
    return svg;
  }

  return { barChart, swatch, niceScale };
})();
