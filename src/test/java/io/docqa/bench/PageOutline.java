package io.docqa.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The title, section headings and API definitions of one page of the corpus, which questions are made of: Sphinx
 * HTML's {@code h1}, {@code h2}-{@code h3} and {@code dl.py > dt[id]} (e.g. {@code json.dumps}, a function), or
 * Markdown's {@code #}, {@code ##}-{@code ###} lines.
 */
record PageOutline(RetrievalCorpus.Page page, String title, List<String> headings, List<Definition> definitions) {

    /** An API entry: its qualified name ({@code json.JSONDecoder.decode}) and Sphinx's kind ({@code method}). */
    record Definition(String name, String kind) {

        String shortName() {
            return name.substring(name.lastIndexOf('.') + 1);
        }
    }

    private static final Pattern SECTION_NUMBER = Pattern.compile("^(\\d+\\.)+\\d*\\s+");
    private static final Pattern MARKDOWN_HEADING = Pattern.compile("^(#{1,3})\\s+(.+?)\\s*#*$");
    private static final List<String> KINDS = List.of("function", "method", "classmethod", "staticmethod", "class",
            "exception", "data", "attribute", "property", "decorator");

    static PageOutline read(RetrievalCorpus.Page page) {
        try {
            return page.markdown() ? markdown(page) : html(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PageOutline html(RetrievalCorpus.Page page) throws IOException {
        Document document = Jsoup.parse(page.source().toFile(), "UTF-8");
        Element body = document.selectFirst("div.body");
        if (body == null) {
            body = document.body();
        }
        body.select("a.headerlink").remove();
        Element h1 = body.selectFirst("h1");
        String title = h1 == null ? "" : heading(h1.text());
        List<String> headings = new ArrayList<>();
        for (Element heading : body.select("h2, h3")) {
            headings.add(heading(heading.text()));
        }
        List<Definition> definitions = new ArrayList<>();
        for (Element term : body.select("dl.py > dt[id]")) {
            String kind = term.parent().classNames().stream().filter(KINDS::contains).findFirst().orElse(null);
            String name = term.id();
            if (kind != null && name.matches("[\\w.]+") && !name.startsWith("index-")) {
                definitions.add(new Definition(name, kind));
            }
        }
        return new PageOutline(page, title, headings, definitions);
    }

    private static PageOutline markdown(RetrievalCorpus.Page page) throws IOException {
        String title = "";
        List<String> headings = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page.source())) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher heading = MARKDOWN_HEADING.matcher(line);
            if (!fenced && heading.matches()) {
                String text = heading.group(2).replace("`", "").replaceAll("\\{[^}]*}", "").strip();
                if (heading.group(1).length() == 1 && title.isEmpty()) {
                    title = text;
                } else {
                    headings.add(text);
                }
            }
        }
        return new PageOutline(page, title, headings, List.of());
    }

    /**
     * What the page is about, as a user asking about one of its sections would name it: the module of a library page
     * ({@code json}), pip for pip's pages, the title of others ("Classes").
     */
    String subject() {
        if (page.markdown()) {
            return "pip";
        }
        int dash = title.indexOf(" — ");
        return dash > 0 ? title.substring(0, dash) : title;
    }

    private static String heading(String text) {
        return SECTION_NUMBER.matcher(text.strip()).replaceFirst("");
    }
}
