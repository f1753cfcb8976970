// The dashboard's monthly trend, drawn by the vendored Chart.js from the page's JSON.
document.addEventListener("DOMContentLoaded", () => {
  const node = document.getElementById("trend-data");
  if (!node || typeof Chart === "undefined") return;
  const data = JSON.parse(node.textContent);
  new Chart(document.getElementById("trend"), {
    data: {
      labels: data.months,
      datasets: [
        { type: "bar", label: "送电户数", data: data.energised, yAxisID: "y" },
        { type: "line", label: "电网环节按时率 (%)", data: data.within_share, yAxisID: "share" },
      ],
    },
    options: { scales: { y: { beginAtZero: true }, share: { position: "right", min: 0, max: 100 } } },
  });
});
