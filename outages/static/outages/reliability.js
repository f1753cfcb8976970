// Charts of the reliability page, drawn by the vendored Chart.js from the page's JSON.
document.addEventListener("DOMContentLoaded", () => {
  const node = document.getElementById("reliability-data");
  if (!node || typeof Chart === "undefined") return;
  const data = JSON.parse(node.textContent);
  new Chart(document.getElementById("by-month"), {
    type: "bar",
    data: {
      labels: data.months,
      datasets: [
        { label: "计划停电 (h)", data: data.planned, stack: "s" },
        { label: "故障停电 (h)", data: data.fault, stack: "s" },
        { label: "合计 (h)", data: data.saidi, type: "line" },
      ],
    },
  });
  new Chart(document.getElementById("vs-target"), {
    type: "bar",
    data: {
      labels: data.targets.map((t) => t.label),
      datasets: [
        { label: "户均停电时间 (h)", data: data.targets.map((t) => t.saidi) },
        { label: "目标 (h)", data: data.targets.map((t) => t.target) },
      ],
    },
    options: { indexAxis: "y" },
  });
});
