// Fast entry of detentions (templates/cases/_assembly_record_form.html). Without this file the page still
// works: "Add rows" and "Fill rows" post the form and come back with everything typed kept.
// With it:
// - typing a name suggests existing people (htmx GET /people/suggest/?q=…); picking one fills the row's
//   hidden person uid, and typing again un-picks the person;
// - "Add rows" appends one empty row (htmx GET …/record/row/?index=N) and raises TOTAL_FORMS, without
//   reloading, so nothing typed is touched;
// - "Fill rows" is posted by htmx (hx-post on the button) and the form is swapped for the filled one;
// - Enter in a row does not submit.
(function () {
  "use strict";
  var timers = new WeakMap();
  var adding = false;

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

  // Enter in a row would submit the form through its first button ("Fill rows"): in a grid of inputs it is
  // far more often a slip than a request, so it does nothing there. "Save all" is one click away.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches) return;
    if (event.target.matches("form.fast-entry tbody input")) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    var button = event.target.closest("form.fast-entry button.suggestion");
    if (button) {
      var row = rowOf(button);
      personInput(row).value = button.dataset.personUid;
      row.querySelector("input[data-suggest]").value = button.dataset.personName;
      row.querySelector(".suggestions").innerHTML = "";
      return;
    }
    var add = event.target.closest("form.fast-entry button.add-rows");
    if (!add || typeof htmx === "undefined") return;
    var form = add.closest("form");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    var index = parseInt(total.value, 10);
    if (isNaN(index) || index >= parseInt(form.dataset.maxRows, 10)) return; // the server explains
    event.preventDefault();
    if (adding) return;
    adding = true;
    var tbody = form.querySelector("#fast-entry-rows");
    htmx.ajax("GET", form.dataset.rowUrl + "?index=" + index, { target: tbody, swap: "beforeend" })
      .then(function () {
        var added = document.getElementById("row-" + index);
        if (added) {
          total.value = String(index + 1);
          added.querySelector("input[data-suggest]").focus();
        }
      })
      .finally(function () { adding = false; });
  });
})();
