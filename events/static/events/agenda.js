// "Copy the link" buttons of the subscription box (progressive enhancement).
document.querySelectorAll("[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var input = document.querySelector(button.getAttribute("data-copy"));
    input.select();
    var done = function () { button.setAttribute("data-copied", "true"); button.blur(); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
    } else { document.execCommand("copy"); done(); }
  });
});
