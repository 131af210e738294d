package io.docqa.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/**
 * The concept entries of the documentation's index ({@code genindex-all.html}): a term and the pages it points to,
 * e.g. "TMP (environment variable)" -> {@code library/tempfile.html}. API entries ("dumps() (in module json)") are
 * left out: {@link PageOutline} has them from the pages themselves.
 */
final class IndexEntries {

    record Entry(String term, Set<String> pages) {
    }

    /** Parents whose entries make no question of their own: "PEP 626 (Python Enhancement Proposals)", "module (math)". */
    private static final Set<String> LISTING_PARENTS = Set.of("Python Enhancement Proposals", "RFC", "module",
            "built-in function", "statement", "object", "method", "keyword", "operator", "type", "function");
    private static final Set<String> JOINING_WORDS = Set.of("in", "and", "of", "for", "with", "on", "to", "as", "from", "by");

    private IndexEntries() {
    }

    static List<Entry> read(Path genindex) {
        try {
            List<Entry> entries = new ArrayList<>();
            for (Element item : Jsoup.parse(genindex.toFile(), "UTF-8").select("table.genindextable li")) {
                Element link = item.selectFirst("> a");
                if (link == null || !link.attr("href").contains("#index-") || link.text().startsWith("(")) {
                    continue;
                }
                Set<String> pages = new LinkedHashSet<>();
                for (Element target : item.select("> a")) {
                    pages.add(target.attr("href").replaceFirst("#.*", ""));
                }
                String term = term(item, link.text().strip());
                if (term != null && (Character.isLetter(term.charAt(0)) || term.charAt(0) == '_') && !term.contains("(in module")
                        && !term.contains("()")) {
                    entries.add(new Entry(term, pages));
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A sub-entry is named with its parent: "backslash character in regular expressions", "TMP (environment variable)";
     * null for the entries of {@link #LISTING_PARENTS} ("module (math)").
     */
    private static String term(Element item, String text) {
        if (LISTING_PARENTS.contains(text)) {
            return null;
        }
        Element parent = item.parent() == null ? null : item.parent().parent();
        if (parent == null || !parent.nameIs("li")) {
            return text;
        }
        Element parentLink = parent.selectFirst("> a");
        String parentTerm = (parentLink != null ? parentLink.text() : parent.ownText()).replaceAll(",\\s*$", "").strip();
        if (parentTerm.isEmpty()) {
            return text;
        }
        if (LISTING_PARENTS.contains(parentTerm)) {
            return null;
        }
        String firstWord = text.split("\\s+")[0];
        return JOINING_WORDS.contains(firstWord) ? parentTerm + " " + text : text + " (" + parentTerm + ")";
    }
}
