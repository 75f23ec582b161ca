// redress staff UI behaviour. Loaded from a file: the CSP forbids inline script.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // A language picker submits as soon as a language is chosen.
  function autosubmit(root) {
    root.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
      if (sel.dataset.bound) return;
      sel.dataset.bound = "1";
      sel.addEventListener("change", function () { sel.form.requestSubmit(); });
    });
  }

  // Charts: the option comes as JSON in data-chart; ECharts is loaded on demand.
  var echartsLoading = null;
  function loadECharts(src) {
    if (window.echarts) return Promise.resolve(window.echarts);
    if (!echartsLoading) {
      echartsLoading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () { resolve(window.echarts); };
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return echartsLoading;
  }
  function charts(root) {
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.bound) return;
      el.dataset.bound = "1";
      loadECharts(el.dataset.echarts).then(function (echarts) {
        var chart = echarts.init(el, null, { renderer: "svg" });
        chart.setOption(JSON.parse(el.dataset.chart));
        window.addEventListener("resize", function () { chart.resize(); });
        el.dataset.ready = "1";
      });
    });
  }

  // Exports download through fetch so the page can show progress: rows
  // received for CSV (streamed), percent of bytes for Excel (sized).
  function exports(root) {
    root.querySelectorAll("a[data-export]").forEach(function (a) {
      if (a.dataset.bound) return;
      a.dataset.bound = "1";
      a.addEventListener("click", function (ev) {
        if (!window.fetch || !window.ReadableStream) return;
        ev.preventDefault();
        var out = document.getElementById("export-progress");
        fetch(a.href, { credentials: "same-origin" }).then(function (res) {
          if (!res.ok) throw new Error(String(res.status));
          var total = Number(res.headers.get("Content-Length")) || 0;
          var name = (res.headers.get("Content-Disposition") || "").replace(/.*filename="([^"]+)".*/, "$1") || "export";
          var reader = res.body.getReader();
          var chunks = [], bytes = 0, lines = 0;
          function pump() {
            return reader.read().then(function (r) {
              if (r.done) return;
              chunks.push(r.value);
              bytes += r.value.length;
              for (var i = 0; i < r.value.length; i++) if (r.value[i] === 10) lines++;
              if (out) {
                out.textContent = total ? Math.round(bytes * 100 / total) + "%" :
                  (out.dataset.rows || "{n}").replace("{n}", String(Math.max(0, lines - 1)));
              }
              return pump();
            });
          }
          return pump().then(function () {
            var blob = new Blob(chunks, { type: res.headers.get("Content-Type") || "application/octet-stream" });
            var url = URL.createObjectURL(blob);
            var link = document.createElement("a");
            link.href = url;
            link.download = name;
            document.body.appendChild(link);
            link.click();
            link.remove();
            setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
            if (out) out.textContent = out.dataset.done || "100%";
          });
        }).catch(function () {
          if (out) out.textContent = out.dataset.failed || "×";
          window.location.href = a.href;
        });
      });
    });
  }

  function init(root) {
    autosubmit(root);
    charts(root);
    exports(root);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (ev) { init(ev.detail.elt); });
})();
