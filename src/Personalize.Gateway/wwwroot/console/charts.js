// Inline SVG charts: enough for a live console, no chart library to ship or update.
const NS = "http://www.w3.org/2000/svg";
export const COLORS = ["#3450d8", "#27a17a", "#e0a100", "#c0392b", "#8e44ad", "#16a2b8", "#7f8c8d"];

function svg(width, height) {
  const node = document.createElementNS(NS, "svg");
  node.setAttribute("viewBox", `0 0 ${width} ${height}`);
  node.setAttribute("width", "100%");
  node.setAttribute("role", "img");
  return node;
}

function add(parent, tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  parent.append(node);
  return node;
}

/** Horizontal bars: rows of { label, value, color? }. */
export function bars(rows, { width = 360, barHeight = 16, labelWidth = 110 } = {}) {
  const height = Math.max(1, rows.length) * (barHeight + 6) + 4;
  const chart = svg(width, height);
  const max = Math.max(1, ...rows.map((r) => r.value));
  rows.forEach((row, i) => {
    const y = 2 + i * (barHeight + 6);
    const length = ((width - labelWidth - 50) * row.value) / max;
    add(chart, "text", { x: 0, y: y + barHeight - 4 }, row.label);
    add(chart, "rect", { x: labelWidth, y, width: Math.max(1, length), height: barHeight, rx: 3, fill: row.color ?? COLORS[i % COLORS.length] });
    add(chart, "text", { x: labelWidth + length + 6, y: y + barHeight - 4 }, formatNumber(row.value));
  });
  return chart;
}

/** Grouped bars per trigger: groups of { label, values: [{ name, value }] }, one color per name. */
export function groupedBars(groups, names, { width = 360 } = {}) {
  const barHeight = 9;
  const groupHeight = names.length * (barHeight + 2) + 18;
  const chart = svg(width, Math.max(1, groups.length) * groupHeight + 22);
  const max = Math.max(1, ...groups.flatMap((g) => g.values.map((v) => v.value)));
  names.forEach((name, i) => {
    add(chart, "rect", { x: i * 80, y: 2, width: 10, height: 10, fill: COLORS[i % COLORS.length] });
    add(chart, "text", { x: i * 80 + 14, y: 11 }, name);
  });
  groups.forEach((group, g) => {
    const top = 22 + g * groupHeight;
    add(chart, "text", { x: 0, y: top + 11, "font-weight": 600 }, group.label);
    group.values.forEach((v, i) => {
      const y = top + 15 + i * (barHeight + 2);
      const length = ((width - 60) * v.value) / max;
      add(chart, "rect", { x: 0, y, width: Math.max(1, length), height: barHeight, fill: COLORS[i % COLORS.length] });
      add(chart, "text", { x: length + 4, y: y + barHeight - 1 }, formatNumber(v.value));
    });
  });
  return chart;
}

/** A line over time: points are numbers, oldest first. */
export function line(points, { width = 360, height = 110 } = {}) {
  const chart = svg(width, height);
  const max = Math.max(1, ...points);
  const step = points.length > 1 ? (width - 40) / (points.length - 1) : 0;
  const coords = points.map((p, i) => `${30 + i * step},${height - 16 - ((height - 30) * p) / max}`);
  add(chart, "line", { x1: 30, y1: height - 16, x2: width, y2: height - 16, stroke: "#ccc" });
  add(chart, "text", { x: 0, y: 12 }, formatNumber(max));
  add(chart, "text", { x: 0, y: height - 14 }, "0");
  if (coords.length > 0) add(chart, "polyline", { points: coords.join(" "), fill: "none", stroke: COLORS[0], "stroke-width": 2 });
  return chart;
}

/** One bar split into parts: parts of { label, value, color }. */
export function stacked(parts, { width = 360, height = 26 } = {}) {
  const chart = svg(width, height + 18);
  const total = parts.reduce((sum, p) => sum + p.value, 0);
  let x = 0;
  for (const part of parts) {
    const w = total === 0 ? 0 : (width * part.value) / total;
    if (w > 0) add(chart, "rect", { x, y: 0, width: w, height, fill: part.color });
    if (w > 40) add(chart, "text", { x: x + 4, y: height + 13 }, `${part.label} ${part.value}`);
    x += w;
  }
  return chart;
}

export function formatNumber(value) {
  return Number.isInteger(value) ? String(value) : Number(value).toFixed(2);
}
