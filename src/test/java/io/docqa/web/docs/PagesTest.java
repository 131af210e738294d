package io.docqa.web.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import io.docqa.support.IntegrationTest;

/** The chat page and the API explorer are served with a strict CSP and keep to it: no inline script or style. */
class PagesTest extends IntegrationTest {

    @Test
    void chatPageIsServedWithAStrictContentSecurityPolicy() {
        String html = page("/");
        assertThat(html).contains("<script src=\"/webjars/markdown-it/dist/markdown-it.min.js\" defer></script>",
                "<script type=\"module\" src=\"/app.js\"></script>", "href=\"/app.css\"");
        asset("/webjars/markdown-it/dist/markdown-it.min.js", "text/javascript");
        asset("/app.js", "text/javascript");
        asset("/markdown.js", "text/javascript");
        asset("/app.css", "text/css");
    }

    @Test
    void apiExplorerLoadsSwaggerUiFromThisServiceOverTheServedDescription() {
        String html = page("/docs");
        assertThat(html).contains("src=\"/webjars/swagger-ui/swagger-ui-bundle.js\"", "src=\"/docs.js\"",
                "data-url=\"/v3/api-docs\"");
        asset("/webjars/swagger-ui/swagger-ui-bundle.js", "text/javascript");
        asset("/webjars/swagger-ui/swagger-ui.css", "text/css");
        asset("/docs.js", "text/javascript");
        asset("/docs.css", "text/css");
    }

    @Test
    void pagesHaveNoInlineScriptsHandlersOrStyles() throws IOException {
        for (String file : new String[] {"static/index.html", "openapi/docs.html"}) {
            String html = read(file);
            assertThat(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>", Pattern.CASE_INSENSITIVE).matcher(html).find())
                    .as(file + " has an inline <script>").isFalse();
            assertThat(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find())
                    .as(file + " has an inline event handler").isFalse();
            assertThat(Pattern.compile("\\sstyle\\s*=|<style", Pattern.CASE_INSENSITIVE).matcher(html).find())
                    .as(file + " has an inline style").isFalse();
        }
    }

    @Test
    void chatPageNeverParsesTextAsHtml() throws IOException {
        for (String file : new String[] {"static/app.js", "static/markdown.js"}) {
            assertThat(read(file)).as(file).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                    "eval(", "new Function", "createContextualFragment", "DOMParser", ".render(", "setAttribute('style'");
        }
    }

    private String page(String path) {
        EntityExchangeResult<String> result = http.get().uri(path).accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectBody(String.class).returnResult();
        String policy = result.getResponseHeaders().getFirst("Content-Security-Policy");
        assertThat(policy).as("CSP of " + path)
                .contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                        "base-uri 'none'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "*");
        return result.getResponseBody();
    }

    private void asset(String path, String contentType) {
        http.get().uri(path).exchange()
                .expectStatus().isOk()
                .expectHeader().value(HttpHeaders.CONTENT_TYPE, type -> assertThat(type).startsWith(contentType));
    }

    private static String read(String resource) throws IOException {
        return new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8);
    }
}
