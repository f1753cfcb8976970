// Starts Swagger UI with the settings the page carries (an inline script would break our CSP).
// Requests from "Try it out" use the browser session, so they carry the CSRF token.
(function () {
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrf = document.body.dataset.csrfToken;
  settings.dom_id = "#swagger-ui";
  settings.presets = [window.SwaggerUIBundle.presets.apis];
  settings.requestInterceptor = function (request) {
    if (csrf) { request.headers["X-CSRFToken"] = csrf; }
    return request;
  };
  window.ui = window.SwaggerUIBundle(settings);
})();
