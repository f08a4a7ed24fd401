// Starts Swagger UI with the settings the page carries as JSON (see api/docs_ui.py).
window.addEventListener("load", function () {
  var config = JSON.parse(document.getElementById("swagger-ui-config").textContent);
  window.ui = SwaggerUIBundle(config);
});
