// Starts Swagger UI on /docs over the service's OpenAPI description (kept out of the page: no inline script).
const root = document.getElementById('swagger-ui');
window.ui = window.SwaggerUIBundle({
  url: root.dataset.url,
  domNode: root,
  deepLinking: true,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  validatorUrl: null,
  tryItOutEnabled: false,
  persistAuthorization: false,
});
