// Fast entry of detentions: suggest existing people as a name is typed (htmx GET /people/suggest/?q=…),
// and fill the row's hidden person uid when a suggestion is picked. Typing again un-picks the person.
(function () {
  "use strict";
  var timers = new WeakMap();

  function rowOf(element) { return element.closest("tr"); }
  function personInput(row) { return row.querySelector("input[type=hidden][name$='-person']"); }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("form.fast-entry input[data-suggest]")) return;
    var form = input.closest("form");
    var row = rowOf(input);
    var target = row.querySelector(".suggestions");
    personInput(row).value = "";
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 2) { target.innerHTML = ""; return; }
      var url = form.dataset.suggestUrl + "?q=" + encodeURIComponent(q);
      htmx.ajax("GET", url, { target: target, swap: "innerHTML" });
    }, 250));
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("form.fast-entry button.suggestion");
    if (!button) return;
    var row = rowOf(button);
    personInput(row).value = button.dataset.personUid;
    row.querySelector("input[data-suggest]").value = button.dataset.personName;
    row.querySelector(".suggestions").innerHTML = "";
  });
})();
