// The neighbourhood view: the entity, its posts, events and most co-mentioned
// neighbours, drawn by Cytoscape.js (shipped in static/vendor) with the colours and
// captions of style.grass. A click on a node opens its page.
(function () {
  const box = document.getElementById("graph");
  if (!box || typeof cytoscape === "undefined") return;
  fetch("/api/neighbourhood/" + encodeURIComponent(box.dataset.entity))
    .then((r) => r.json())
    .then((g) => {
      const cy = cytoscape({
        container: box,
        elements: { nodes: g.nodes, edges: g.edges },
        wheelSensitivity: 0.3,
        style: [
          { selector: "node", style: {
            "background-color": "data(colour)", "border-color": "data(border)", "border-width": 2,
            width: "data(size)", height: "data(size)", label: "data(caption)", color: "#1d2433",
            "font-size": 11, "text-valign": "bottom", "text-margin-y": 4, "text-wrap": "ellipsis",
            "text-max-width": 120,
            "font-family": '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", sans-serif' } },
          { selector: "node[?centre]", style: { "border-width": 4, "font-weight": "bold" } },
          { selector: "edge", style: {
            width: "data(width)", "line-color": "#A5ABB6", "target-arrow-color": "#A5ABB6",
            "target-arrow-shape": "triangle", "curve-style": "bezier", label: "data(caption)",
            "font-size": 8, color: "#4b5563", "text-rotation": "autorotate",
            "text-background-color": "#fff", "text-background-opacity": 0.8 } },
          // named in one sentence: no direction (stored from the smaller id)
          { selector: 'edge[type = "CO_MENTIONED"]', style: { "target-arrow-shape": "none", "line-style": "dashed" } },
        ],
        layout: { name: "concentric", concentric: (n) => (n.data("centre") ? 2 : 1), levelWidth: () => 1,
                  minNodeSpacing: 30, animate: false },
      });
      cy.on("tap", "node", (e) => { window.location.href = e.target.data("href"); });
      window.kgGraph = cy;
      box.dataset.nodes = String(cy.nodes().length);
      box.dataset.edges = String(cy.edges().length);
      box.dataset.drawn = "true";
    })
    .catch((err) => { box.textContent = "The neighbourhood could not be drawn: " + err; });
})();
