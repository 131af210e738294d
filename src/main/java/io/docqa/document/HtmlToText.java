package io.docqa.document;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Flux;

/**
 * Turns HTML into text as it streams: tags, comments and the contents of script, style and head-only elements are
 * dropped, block elements become paragraph breaks, entities are decoded. A tag or entity split across two pieces of
 * input survives; a tag longer than {@link #MAX_TAG} characters is cut (its attributes are never needed).
 */
final class HtmlToText {

    static final int MAX_TAG = 4096;
    private static final Set<String> SKIPPED = Set.of("script", "style", "template", "noscript", "title", "svg");
    private static final Set<String> BLOCKS = Set.of("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
            "h6", "tr", "table", "section", "article", "header", "footer", "blockquote", "pre", "hr", "dd", "dt", "body");
    private static final Map<String, String> ENTITIES = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"",
            "apos", "'", "nbsp", " ", "#39", "'");

    private enum State { TEXT, TAG, COMMENT, ENTITY }

    private State state = State.TEXT;
    private final StringBuilder pending = new StringBuilder();
    private String skippingUntil;

    private HtmlToText() {
    }

    static Flux<String> convert(Flux<String> html) {
        return Flux.defer(() -> {
            HtmlToText converter = new HtmlToText();
            return html.map(converter::feed).concatWith(Flux.defer(() -> Flux.just(converter.end())))
                    .filter(text -> !text.isEmpty());
        });
    }

    private String feed(String piece) {
        StringBuilder out = new StringBuilder(piece.length());
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            switch (state) {
                case TEXT -> {
                    if (c == '<') {
                        state = State.TAG;
                        pending.setLength(0);
                    }
                    else if (c == '&' && skippingUntil == null) {
                        state = State.ENTITY;
                        pending.setLength(0);
                    }
                    else if (skippingUntil == null) {
                        out.append(c);
                    }
                }
                case ENTITY -> {
                    if (c == ';') {
                        out.append(entity(pending.toString()));
                        state = State.TEXT;
                    }
                    else if (pending.length() >= 10 || c == '<' || Character.isWhitespace(c)) {
                        out.append('&').append(pending);
                        state = State.TEXT;
                        i--;
                    }
                    else {
                        pending.append(c);
                    }
                }
                case TAG -> {
                    if (c == '>') {
                        tag(pending.toString(), out);
                        if (state == State.TAG) {
                            state = State.TEXT;
                        }
                    }
                    else {
                        if (pending.length() < MAX_TAG) {
                            pending.append(c);
                        }
                        if (pending.length() == 3 && pending.toString().equals("!--")) {
                            state = State.COMMENT;
                            pending.setLength(0);
                        }
                    }
                }
                case COMMENT -> {
                    pending.append(c);
                    if (pending.length() > 3) {
                        pending.delete(0, pending.length() - 3);
                    }
                    if (c == '>' && pending.toString().equals("-->")) {
                        state = State.TEXT;
                    }
                }
            }
        }
        return out.toString();
    }

    private String end() {
        return state == State.ENTITY ? "&" + pending : "";
    }

    private void tag(String raw, StringBuilder out) {
        boolean closing = raw.startsWith("/");
        String name = raw.substring(closing ? 1 : 0).split("[\\s/>]", 2)[0].toLowerCase(Locale.ROOT);
        if (skippingUntil != null) {
            if (closing && name.equals(skippingUntil)) {
                skippingUntil = null;
            }
            return;
        }
        if (!closing && SKIPPED.contains(name) && !raw.endsWith("/")) {
            skippingUntil = name;
            return;
        }
        if (BLOCKS.contains(name)) {
            out.append("\n\n");
        }
        else if (name.equals("td") || name.equals("th")) {
            out.append(' ');
        }
    }

    private static String entity(String name) {
        String known = ENTITIES.get(name.toLowerCase(Locale.ROOT));
        if (known != null) {
            return known;
        }
        try {
            if (name.startsWith("#x") || name.startsWith("#X")) {
                return new String(Character.toChars(Integer.parseInt(name.substring(2), 16)));
            }
            if (name.startsWith("#")) {
                return new String(Character.toChars(Integer.parseInt(name.substring(1))));
            }
        }
        catch (IllegalArgumentException e) {
            // not a valid code point: keep the text as it was
        }
        return "&" + name + ";";
    }
}
