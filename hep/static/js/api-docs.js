// Starts Swagger UI on our OpenAPI document. "Try it out" from this page sends the session
// cookie, so writes also need the CSRF header the PWA sends.
/* global SwaggerUIBundle */
SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  requestInterceptor: (req) => {
    req.headers["X-HEP-CSRF"] = "1";
    return req;
  },
});
