// The works list: filter the embedded index as you type (no network, no framework).
(function () {
  "use strict";
  var data = document.getElementById("works-data");
  var input = document.getElementById("search");
  if (!data || !input) return;
  var works = JSON.parse(data.textContent);
  var body = document.querySelector("#works tbody");
  var count = document.getElementById("count");
  var LIMIT = Number(document.getElementById("works").dataset.limit);
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var keys = works.map(function (work) { return fold(work.s); });
  function cell(text) {
    var td = document.createElement("td");
    td.textContent = String(text);
    return td;
  }
  function row(work) {
    var tr = document.createElement("tr");
    var td = document.createElement("td");
    var a = document.createElement("a");
    a.href = work.p;
    a.textContent = work.t;  // text, never markup: titles are hostile input
    td.appendChild(a);
    tr.appendChild(td);
    tr.appendChild(cell(work.a));
    tr.appendChild(cell(work.c));
    return tr;
  }
  function show() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var rows = [];
    var matched = 0;
    for (var i = 0; i < works.length; i++) {
      if (words.every(function (word) { return keys[i].indexOf(word) !== -1; })) {
        matched++;
        if (rows.length < LIMIT) rows.push(row(works[i]));
      }
    }
    body.replaceChildren.apply(body, rows);
    count.textContent = words.length
      ? matched + " of " + works.length + " works match" + (matched > LIMIT ? ", the first " + LIMIT + " shown" : "")
      : Math.min(LIMIT, works.length) + " of " + works.length + " works shown";
  }
  input.addEventListener("input", show);
  window.addEventListener("pageshow", show);  // the query survives going back to the list
  show();
})();
