// Filters that apply on change: <select data-autosubmit> submits its form (no inline handlers,
// which the content security policy refuses).
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
});
