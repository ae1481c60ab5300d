// samestory report: lazy stories, twin highlighting, the story filter. Reads only the page's own elements.
(function () {
  "use strict";

  // Markup the report packed (gzip, then base64) into a <script> that never runs,
  // unpacked here without any request, then parsed in an inert <template>.
  function unpack(holder) {
    var bytes = Uint8Array.from(atob(holder.textContent), function (c) { return c.charCodeAt(0); });
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  }
  function parse(markup) {
    var template = document.createElement("template");
    template.innerHTML = markup;
    return template.content;
  }

  var rendering = new Map();
  function renderStory(section) {
    if (!rendering.has(section)) {
      var holder = section.querySelector(":scope > script.story-body");
      rendering.set(section, !holder ? Promise.resolve() : unpack(holder).then(function (markup) {
        holder.replaceWith(parse(markup));
        section.classList.remove("lazy");
      }));
    }
    return rendering.get(section);
  }

  var lazy = document.querySelectorAll("section.story.lazy");
  if (lazy.length && "IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); renderStory(entry.target); }
      });
    }, { rootMargin: "1200px 0px" });
    lazy.forEach(function (section) { observer.observe(section); });
  }

  // A link into a story not yet rendered (k<number>-...): render it, then go there.
  function followHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var match = /^(?:k|story-)(\d+)/.exec(id);
    if (!match) return;
    var section = document.getElementById("story-" + match[1]);
    if (section && section.classList.contains("lazy")) {
      renderStory(section).then(function () {
        var target = document.getElementById(id);
        if (target) target.scrollIntoView();
      });
    }
  }
  window.addEventListener("hashchange", followHash);
  followHash();

  // Clicking a shared or similar sentence (or Enter on it) highlights its twins and scrolls
  // each into view in its own report.
  var lit = [];
  function highlightTwins(event) {
    if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
    var sentence = event.target.closest("[data-twins]");
    if (!sentence) return;
    if (event.type === "keydown") event.preventDefault();
    lit.forEach(function (el) { el.classList.remove("hl", "hl-self"); });
    lit = [sentence];
    sentence.classList.add("hl-self");
    sentence.getAttribute("data-twins").split(" ").forEach(function (id) {
      var twin = document.getElementById(id);
      if (!twin) return;
      twin.classList.add("hl");
      lit.push(twin);
      var box = twin.closest(".text");
      if (box && box !== sentence.closest(".text")) box.scrollTop = twin.offsetTop - box.clientHeight / 3;
    });
  }
  document.addEventListener("click", highlightTwins);
  document.addEventListener("keydown", highlightTwins);

  // Stories whose id, heading, titles, outlets or document ids hold the query; the rest hidden.
  function applyFilter(root, query) {
    root.querySelectorAll("[data-search]").forEach(function (el) {
      el.hidden = query !== "" && el.getAttribute("data-search").indexOf(query) < 0;
    });
  }

  // The index rows past the first few hundred, built when asked for (or filtered) and
  // filtered before they join the page, so that hidden ones cost no layout.
  var listing = null;
  function listAllStories() {
    var holder = document.querySelector("nav.index script.index-rest");
    if (!listing) {
      listing = !holder ? Promise.resolve() : unpack(holder).then(function (markup) {
        var rows = parse(markup);
        applyFilter(rows, query());
        document.querySelector("nav.index tbody").append(rows);
        document.getElementById("list-all").remove();
        holder.remove();
      });
    }
    return listing;
  }
  var listAll = document.getElementById("list-all");
  if (listAll) {
    listAll.hidden = false;
    listAll.addEventListener("click", listAllStories);
  }

  var filter = document.getElementById("filter");
  function query() { return filter.value.trim().toLowerCase(); }
  filter.hidden = false;
  filter.addEventListener("input", function () {
    applyFilter(document, query());
    listAllStories();
  });
})();
