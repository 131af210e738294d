package io.docqa.document;

import java.util.Set;

import org.jsoup.nodes.Element;

/**
 * What a page shows besides its content: scripts, styles and forms; {@code nav}, {@code footer}, {@code aside} (but
 * footnotes) and a page's {@code header} (one inside an article or main part is kept: it holds the title); elements
 * marked hidden; and navigation blocks of generated manuals, known by their role or class (Sphinx's "related" bars,
 * sidebar and footer, DocBook's and Texinfo's navigation headers and footers, heading permalinks).
 */
final class HtmlBoilerplate {

    private static final Set<String> TAGS = Set.of("script", "style", "noscript", "title", "template", "nav",
            "footer", "form", "button", "select", "input", "label", "svg", "iframe", "object", "embed", "canvas", "dialog");
    private static final Set<String> ROLES = Set.of("navigation", "search", "banner", "contentinfo", "complementary",
            "menu", "menubar", "toolbar");
    private static final Set<String> CLASSES = Set.of("related", "sphinxsidebar", "sphinxsidebarwrapper", "footer",
            "header", "headerlink", "navigation", "nav", "navbar", "mobile-nav", "navheader", "navfooter", "nav-panel",
            "breadcrumb", "breadcrumbs", "sidebar", "toc", "skip-link", "skiplink", "visually-hidden", "sr-only");
    private static final Set<String> IDS = Set.of("navigation", "nav", "navbar", "sidebar", "header", "footer",
            "breadcrumbs", "toc");
    private static final Set<String> CONTENT = Set.of("article", "main");

    private HtmlBoilerplate() {
    }

    static boolean isBoilerplate(Element element) {
        String name = element.normalName();
        if (TAGS.contains(name) || name.equals("header") && !insideContent(element)
                || name.equals("aside") && !element.hasClass("footnote") && !element.hasClass("footnote-list")) {
            return true;
        }
        if (element.attributesSize() == 0) {
            return false;
        }
        if (element.hasAttr("hidden") || "true".equals(element.attr("aria-hidden")) || ROLES.contains(element.attr("role"))
                || IDS.contains(element.id())) {
            return true;
        }
        String classes = element.className();
        if (classes.isEmpty()) {
            return false;
        }
        for (String token : classes.split(" ")) {
            if (CLASSES.contains(token)) {
                return true;
            }
        }
        return false;
    }

    private static boolean insideContent(Element element) {
        for (Element ancestor = element.parent(); ancestor != null; ancestor = ancestor.parent()) {
            if (CONTENT.contains(ancestor.normalName()) || "main".equals(ancestor.attr("role"))) {
                return true;
            }
        }
        return false;
    }
}
