package io.docqa.document;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * The headings a reader is under, by level (0 for a document title, 1 to 9 for headings): a new heading replaces the
 * one of its level and ends the deeper ones. Each heading keeps at most {@value #MAX_HEADING} characters, so a path
 * stays short whatever the document.
 */
final class HeadingPath {

    static final int MAX_HEADING = 200;
    private static final int LEVELS = 10;
    private static final String SEPARATOR = " > ";

    private final String[] headings = new String[LEVELS];
    private String path;

    /** Enters a heading; a blank one leaves the path as it is. */
    void enter(int level, String heading) {
        String text = heading.replaceAll("[\\s\\p{Z}]+", " ").strip();
        if (text.isEmpty()) {
            return;
        }
        if (text.length() > MAX_HEADING) {
            text = text.substring(0, Character.isHighSurrogate(text.charAt(MAX_HEADING - 1)) ? MAX_HEADING - 1 : MAX_HEADING) + "…";
        }
        int at = Math.max(0, Math.min(LEVELS - 1, level));
        headings[at] = text;
        Arrays.fill(headings, at + 1, LEVELS, null);
        StringJoiner joined = new StringJoiner(SEPARATOR);
        for (String h : headings) {
            if (h != null) {
                joined.add(h);
            }
        }
        path = joined.toString();
    }

    /** "Chapter > Section", or null before the first heading. */
    String current() {
        return path;
    }
}
