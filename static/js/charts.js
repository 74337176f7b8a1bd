// Draws each page's charts with plotly.js and offers each chart's data table as a CSV file.
// Progressive enhancement: without this file, or without plotly.js, every figure keeps its
// caption and its data table.
//
// Text first: this small file loads with `defer` and fetches plotly.js (over 1 MB) itself,
// after the page's text: on touch screens (phones: slow processors, metered data) only when a
// chart comes near the screen, elsewhere also once the page has loaded. The <script> tag
// names the files: data-plotly, and data-locale for a page not in English.
//
// A chart may have two forms, wide and narrow (see cases/plotting.py); the stylesheet says
// which one a chart's box is wide enough for, by setting --chart-form to "narrow" on its
// .chart-frame (a container query), and reserves the form's height before it is drawn.
(() => {
  "use strict";

  const UNSAFE_IN_CSV = /[",\r\n]/;
  const script = document.currentScript;
  const PLOTLY_SRC = script ? script.dataset.plotly : "";
  const LOCALE_SRC = script ? script.dataset.locale : "";
  const TOUCH = window.matchMedia("(hover: none)").matches;

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

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const element = document.createElement("script");
      element.src = src;
      element.onload = resolve;
      element.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.append(element);
    });
  }

  let plotlyLoaded = null;

  // plotly.js once, then its Chinese locale (which registers itself with plotly.js).
  function loadPlotly() {
    if (!plotlyLoaded) {
      plotlyLoaded = (async () => {
        if (!window.Plotly && PLOTLY_SRC) await loadScript(PLOTLY_SRC);
        if (LOCALE_SRC) await loadScript(LOCALE_SRC);
        if (!window.Plotly) throw new Error("plotly.js is not available");
        return window.Plotly;
      })();
    }
    return plotlyLoaded;
  }

  function plotConfig(filename) {
    const zh = document.documentElement.lang.toLowerCase().startsWith("zh");
    return {
      responsive: true,
      displaylogo: false,
      // A finger cannot hover, so the bar would sit over the chart for good; the CSV link
      // below each chart offers its data.
      displayModeBar: TOUCH ? false : "hover",
      locale: zh ? "zh-CN" : "en",
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
      toImageButtonOptions: { format: "png", filename, scale: 2 },
    };
  }

  function formOf(frame) {
    return getComputedStyle(frame).getPropertyValue("--chart-form").trim() === "narrow"
      ? "narrow"
      : "wide";
  }

  function figureData(plot) {
    if (!plot.chartFigure) {
      const source = document.getElementById(plot.dataset.figure);
      if (!source) throw new Error(`no figure data with id "${plot.dataset.figure}"`);
      plot.chartFigure = JSON.parse(source.textContent);
    }
    return plot.chartFigure;
  }

  async function draw(plot, Plotly) {
    const frame = plot.closest(".chart-frame") || plot;
    const figure = figureData(plot);
    const form = formOf(frame);
    const shown = form === "narrow" && figure.narrow ? figure.narrow : figure;
    const config = plotConfig(plot.dataset.filename || plot.dataset.figure);
    plot.dataset.form = form;
    await Plotly.react(plot, shown.data || figure.data, shown.layout || figure.layout, config);
  }

  function fail(plot, error) {
    console.error(`Chart "${plot.dataset.figure}" failed:`, error);
  }

  function hideFrame(plot) {
    const frame = plot.closest(".chart-frame");
    if (frame) frame.hidden = true;
  }

  const pending = new Set();

  function drawSoon(plot) {
    if (!pending.delete(plot)) return;
    loadPlotly().then(
      (Plotly) =>
        draw(plot, Plotly).catch((error) => {
          fail(plot, error);
          hideFrame(plot);
        }),
      // Without plotly.js (the browser reports the missing file) the table stays the view.
      () => document.querySelectorAll(".chart-plot[data-figure]").forEach(hideFrame),
    );
  }

  // Redraw in the other form when a chart's box crosses its breakpoint (a phone turned).
  const resized = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const plot = entry.target.querySelector(".chart-plot[data-figure]");
      if (!plot || !plot.dataset.form || !window.Plotly) continue;
      if (formOf(entry.target) !== plot.dataset.form) {
        draw(plot, window.Plotly).catch((error) => fail(plot, error));
      }
    }
  });

  function enhance(plot, near) {
    const filename = plot.dataset.filename || plot.dataset.figure;
    const figure = plot.closest("figure");
    try {
      if (figure) addCsvLink(figure, filename);
    } catch (error) {
      fail(plot, error);
    }
    pending.add(plot);
    const frame = plot.closest(".chart-frame");
    if (frame) resized.observe(frame);
    if (near) near.observe(frame || plot);
    else drawSoon(plot);
  }

  function drawTheRestWhenLoaded() {
    const rest = () => pending.forEach((plot) => drawSoon(plot));
    if (document.readyState === "complete") rest();
    else window.addEventListener("load", rest, { once: true });
  }

  function enhanceAll() {
    const near =
      "IntersectionObserver" in window
        ? new IntersectionObserver(
            (entries, observer) => {
              for (const entry of entries) {
                if (!entry.isIntersecting) continue;
                observer.unobserve(entry.target);
                const plot = entry.target.querySelector(".chart-plot[data-figure]") || entry.target;
                drawSoon(plot);
              }
            },
            { rootMargin: "400px 0px" },
          )
        : null;
    document.querySelectorAll(".chart-plot[data-figure]").forEach((plot) => enhance(plot, near));
    if (!near || !TOUCH) drawTheRestWhenLoaded();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})();
