// Draws each page's charts with plotly.js and offers each chart's data table as a CSV file.
// Progressive enhancement: without this file, or without plotly.js, every figure keeps its
// caption and its data table. Load it with `defer` after plotly-basic.min.js and its locale.
(() => {
  "use strict";

  const UNSAFE_IN_CSV = /[",\r\n]/;

  function csvField(text) {
    return UNSAFE_IN_CSV.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }

  // RFC 4180: the header row, then one line per body row, each ended by CRLF.
  function tableToCsv(table) {
    const rows = [];
    if (table.tHead) rows.push(...table.tHead.rows);
    for (const body of table.tBodies) rows.push(...body.rows);
    return rows
      .map((row) => Array.from(row.cells, (cell) => csvField(cell.textContent.trim())).join(","))
      .map((line) => `${line}\r\n`)
      .join("");
  }

  function addCsvLink(figure, filename) {
    const table = figure.querySelector("table.chart-table");
    const actions = figure.querySelector(".chart-actions");
    if (!table || !actions || actions.querySelector("a[download]")) return;
    // The byte order mark makes Excel read the file as UTF-8, so Chinese stays legible.
    const blob = new Blob(["\uFEFF", tableToCsv(table)], { type: "text/csv;charset=utf-8" });
    const link = document.createElement("a");
    link.className = "button";
    link.download = `${filename}.csv`;
    link.href = URL.createObjectURL(blob);
    link.textContent = actions.dataset.csvLabel || "CSV";
    actions.append(link);
  }

  function plotConfig(filename) {
    const zh = document.documentElement.lang.toLowerCase().startsWith("zh");
    return {
      responsive: true,
      displaylogo: false,
      locale: zh ? "zh-CN" : "en",
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
      toImageButtonOptions: { format: "png", filename, scale: 2 },
    };
  }

  async function drawPlot(plot, filename) {
    const source = document.getElementById(plot.dataset.figure);
    if (!source) throw new Error(`no figure data with id "${plot.dataset.figure}"`);
    const figure = JSON.parse(source.textContent);
    await window.Plotly.newPlot(plot, figure.data, figure.layout || {}, plotConfig(filename));
  }

  function fail(plot, error) {
    console.error(`Chart "${plot.dataset.figure}" failed:`, error);
  }

  function enhance(plot) {
    const filename = plot.dataset.filename || plot.dataset.figure;
    const figure = plot.closest("figure");
    try {
      if (figure) addCsvLink(figure, filename);
    } catch (error) {
      fail(plot, error);
    }
    // Without plotly.js (the file failed to load) the table stays the only view.
    if (window.Plotly) drawPlot(plot, filename).catch((error) => fail(plot, error));
  }

  function enhanceAll() {
    document.querySelectorAll(".chart-plot[data-figure]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})();
