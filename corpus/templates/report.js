// samestory report: lazy stories, twin highlighting, the story filter. Reads only the page's own elements.
(function () {
  "use strict";

  // A later story's markup waits as the text of a <script type="text/html">; parsed in an
  // inert <template> (nothing in it can run), then put in place.
  function renderStory(section) {
    var holder = section.querySelector(":scope > script.story-body");
    if (!holder) return;
    var template = document.createElement("template");
    template.innerHTML = holder.textContent;
    holder.replaceWith(template.content);
    section.classList.remove("lazy");
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
      renderStory(section);
      var target = document.getElementById(id);
      if (target) target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", followHash);
  followHash();

  // Clicking a shared or similar sentence highlights its twins and scrolls each into view in its own report.
  var lit = [];
  document.addEventListener("click", function (event) {
    var sentence = event.target.closest("[data-twins]");
    if (!sentence) return;
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
  });

  // Stories whose id, heading, titles, outlets or document ids hold the query; the rest hidden.
  function applyFilter(root, query) {
    root.querySelectorAll("[data-search]").forEach(function (el) {
      el.hidden = query !== "" && el.getAttribute("data-search").indexOf(query) < 0;
    });
  }

  // The index rows past the first few hundred, built when asked for (or filtered) and
  // filtered before they join the page, so that hidden ones cost no layout.
  function listAllStories(query) {
    var holder = document.querySelector("nav.index script.index-rest");
    if (!holder) return;
    var template = document.createElement("template");
    template.innerHTML = holder.textContent;
    applyFilter(template.content, query);
    document.querySelector("nav.index tbody").append(template.content);
    document.getElementById("list-all").remove();
    holder.remove();
  }
  var listAll = document.getElementById("list-all");
  if (listAll) {
    listAll.hidden = false;
    listAll.addEventListener("click", function () { listAllStories(""); });
  }

  var filter = document.getElementById("filter");
  filter.hidden = false;
  filter.addEventListener("input", function () {
    var query = filter.value.trim().toLowerCase();
    applyFilter(document, query);
    listAllStories(query);
  });
})();
