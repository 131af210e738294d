package io.docqa.document;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns a stream of HTML into a stream of plain text without ever holding the document: a state machine that
 * survives a tag, comment or entity split across two pieces. Tags and comments are dropped, so is the content of
 * {@code <script>}, {@code <style>}, {@code <noscript>} and {@code <title>} (the title repeats the first heading or
 * the site's name more often than it adds anything a question could be about). Block elements become paragraph
 * breaks, {@code <br>} a line break (two make a paragraph break), table cells a space; whitespace collapses as a
 * browser would, except inside {@code <pre>}. Common named entities and all numeric ones are decoded, a
 * non-breaking space to a plain one. At most {@value #MAX_TAG} characters of any tag are kept.
 */
final class HtmlToText {

    static final int MAX_TAG = 256;
    private static final int MAX_ENTITY = 32;
    private static final String PARAGRAPH = "\n\n";

    private static final Set<String> BLOCKS = Set.of("p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3",
            "h4", "h5", "h6", "tr", "table", "thead", "tbody", "tfoot", "caption", "blockquote", "pre", "section",
            "article", "header", "footer", "nav", "aside", "main", "hr", "figure", "figcaption", "address", "form",
            "fieldset", "legend", "details", "summary", "body", "head", "html", "center", "option");
    private static final Set<String> CELLS = Set.of("td", "th");
    private static final Set<String> DROPPED = Set.of("script", "style", "title", "noscript");
    private static final Map<String, String> ENTITIES = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", " "), Map.entry("shy", ""), Map.entry("copy", "\u00A9"),
            Map.entry("reg", "\u00AE"), Map.entry("trade", "\u2122"), Map.entry("hellip", "\u2026"),
            Map.entry("mdash", "\u2014"), Map.entry("ndash", "\u2013"), Map.entry("lsquo", "\u2018"),
            Map.entry("rsquo", "\u2019"), Map.entry("ldquo", "\u201C"), Map.entry("rdquo", "\u201D"),
            Map.entry("laquo", "\u00AB"), Map.entry("raquo", "\u00BB"), Map.entry("bull", "\u2022"),
            Map.entry("middot", "\u00B7"), Map.entry("euro", "\u20AC"), Map.entry("pound", "\u00A3"),
            Map.entry("yen", "\u00A5"), Map.entry("cent", "\u00A2"), Map.entry("sect", "\u00A7"),
            Map.entry("para", "\u00B6"), Map.entry("deg", "\u00B0"), Map.entry("times", "\u00D7"),
            Map.entry("divide", "\u00F7"), Map.entry("plusmn", "\u00B1"), Map.entry("iexcl", "\u00A1"),
            Map.entry("iquest", "\u00BF"), Map.entry("ensp", "\u2002"), Map.entry("emsp", "\u2003"),
            Map.entry("thinsp", "\u2009"));

    private enum State { TEXT, LESS_THAN, TAG, COMMENT, ENTITY, RAW }

    private State state = State.TEXT;
    private final StringBuilder tag = new StringBuilder();
    private final StringBuilder entity = new StringBuilder();
    private char quote;
    private char lastTagChar;
    private int dashes;
    private String rawEnd;
    private int rawMatched;
    private int preDepth;
    private boolean pendingSpace;
    private boolean lineStart = true;

    HtmlToText() {
    }

    static Flux<String> convert(Flux<String> html) {
        return Flux.defer(() -> {
            HtmlToText converter = new HtmlToText();
            return html.map(converter::feed)
                    .concatWith(Mono.fromSupplier(converter::finish))
                    .filter(text -> !text.isEmpty());
        });
    }

    String feed(String piece) {
        StringBuilder out = new StringBuilder(piece.length());
        int i = 0;
        while (i < piece.length()) {
            if (step(piece.charAt(i), out)) {
                i++;
            }
        }
        return out.toString();
    }

    /** What is left at the end of the input: a dangling '<' or '&...' is text; an unfinished tag is dropped. */
    String finish() {
        StringBuilder out = new StringBuilder();
        if (state == State.LESS_THAN) {
            text('<', out);
        }
        else if (state == State.ENTITY) {
            literalEntity(out);
        }
        state = State.TEXT;
        return out.toString();
    }

    int bufferedChars() {
        return tag.length() + entity.length();
    }

    /** Consumes c, or returns false when c must be looked at again in the new state. */
    private boolean step(char c, StringBuilder out) {
        switch (state) {
            case TEXT -> {
                if (c == '<') {
                    state = State.LESS_THAN;
                }
                else if (c == '&') {
                    state = State.ENTITY;
                    entity.setLength(0);
                }
                else {
                    text(c, out);
                }
            }
            case LESS_THAN -> {
                if (Character.isLetter(c) || c == '/' || c == '!' || c == '?') {
                    startTag(c);
                }
                else {
                    text('<', out);
                    state = State.TEXT;
                    return false;
                }
            }
            case TAG -> inTag(c, out);
            case COMMENT -> {
                if (c == '>' && dashes >= 2) {
                    state = State.TEXT;
                }
                dashes = c == '-' ? dashes + 1 : 0;
            }
            case ENTITY -> {
                if (c == ';') {
                    String decoded = decode(entity);
                    if (decoded == null) {
                        literalEntity(out);
                        text(';', out);
                    }
                    else {
                        decoded.chars().forEach(ch -> visible((char) ch, out));
                    }
                    state = State.TEXT;
                }
                else if ((Character.isLetterOrDigit(c) || c == '#') && entity.length() < MAX_ENTITY) {
                    entity.append(c);
                }
                else {
                    literalEntity(out);
                    state = State.TEXT;
                    return false;
                }
            }
            case RAW -> {
                return inRaw(c);
            }
        }
        return true;
    }

    private void startTag(char first) {
        state = State.TAG;
        tag.setLength(0);
        tag.append(first);
        quote = 0;
        lastTagChar = first;
    }

    private void inTag(char c, StringBuilder out) {
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            }
        }
        else if ((c == '"' || c == '\'') && lastTagChar == '=') {
            quote = c;
        }
        else if (c == '>') {
            state = State.TEXT;
            endOfTag(out);
            return;
        }
        if (!Character.isWhitespace(c)) {
            lastTagChar = c;
        }
        if (tag.length() < MAX_TAG) {
            tag.append(c);
        }
        if (tag.length() == 3 && "!--".contentEquals(tag)) {
            state = State.COMMENT;
            dashes = 0;
        }
    }

    private boolean inRaw(char c) {
        if (rawMatched == rawEnd.length()) {
            if (Character.isWhitespace(c) || c == '>' || c == '/') {
                startTag('/');
                tag.append(rawEnd, 2, rawEnd.length());
                return false;
            }
            rawMatched = 0;
        }
        if (Character.toLowerCase(c) == rawEnd.charAt(rawMatched)) {
            rawMatched++;
        }
        else {
            rawMatched = c == '<' ? 1 : 0;
        }
        return true;
    }

    private void endOfTag(StringBuilder out) {
        boolean closing = tag.length() > 0 && tag.charAt(0) == '/';
        int start = closing ? 1 : 0;
        int end = start;
        while (end < tag.length() && (Character.isLetterOrDigit(tag.charAt(end)) || tag.charAt(end) == '-' || tag.charAt(end) == ':')) {
            end++;
        }
        String name = tag.substring(start, end).toLowerCase(Locale.ROOT);
        tag.setLength(0);
        if (DROPPED.contains(name) && !closing) {
            state = State.RAW;
            rawEnd = "</" + name;
            rawMatched = 0;
        }
        else if (name.equals("br")) {
            lineBreak("\n", out);
        }
        else if (BLOCKS.contains(name)) {
            if (name.equals("pre")) {
                preDepth = closing ? Math.max(0, preDepth - 1) : preDepth + 1;
            }
            lineBreak(PARAGRAPH, out);
        }
        else if (CELLS.contains(name)) {
            pendingSpace = true;
        }
    }

    private void text(char c, StringBuilder out) {
        if (preDepth == 0 && Character.isWhitespace(c)) {
            pendingSpace = true;
        }
        else {
            visible(c, out);
        }
    }

    private void visible(char c, StringBuilder out) {
        if (pendingSpace && !lineStart) {
            out.append(' ');
        }
        pendingSpace = false;
        lineStart = false;
        out.append(c);
    }

    private void lineBreak(String separator, StringBuilder out) {
        out.append(separator);
        pendingSpace = false;
        lineStart = true;
    }

    private void literalEntity(StringBuilder out) {
        visible('&', out);
        for (int i = 0; i < entity.length(); i++) {
            visible(entity.charAt(i), out);
        }
        entity.setLength(0);
    }

    private static String decode(CharSequence entity) {
        String name = entity.toString();
        if (name.startsWith("#")) {
            try {
                boolean hex = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X');
                int codePoint = Integer.parseInt(name.substring(hex ? 2 : 1), hex ? 16 : 10);
                boolean valid = codePoint > 0 && codePoint <= Character.MAX_CODE_POINT
                        && !(codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
                return codePoint == 0xA0 ? " " : Character.toString(valid ? codePoint : 0xFFFD);
            }
            catch (NumberFormatException e) {
                return null;
            }
        }
        return ENTITIES.get(name);
    }
}
